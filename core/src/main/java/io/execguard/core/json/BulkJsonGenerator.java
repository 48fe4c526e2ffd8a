package io.execguard.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A generator for writing events in bulk (hundreds of thousands per second, as {@code audit read} does), where
 * Jackson's per-character encoding of names and strings is most of the cost on a JVM that stays in its first JIT
 * tier. It writes the same bytes, faster:
 * <ul>
 *   <li>field names come from their encoded form, kept once for the whole process - events repeat the same few
 *       dozen names. Only short names are kept, and only so many, so names made from data cannot grow the
 *       cache;</li>
 *   <li>on a byte-based generator, ASCII strings are handed over as bytes, copied out of the String at once and
 *       escaped by the generator byte by byte, instead of being read a character at a time;</li>
 *   <li>pre-encoded raw values are passed on as they are (the delegate base class would turn them back into a
 *       String).</li>
 * </ul>
 */
public final class BulkJsonGenerator extends JsonGeneratorDelegate {
    private static final int MAX_NAMES = 1024;
    private static final int MAX_NAME_LENGTH = 64;
    private static final ConcurrentHashMap<String, SerializedString> NAMES = new ConcurrentHashMap<>();

    private final boolean utf8;

    public BulkJsonGenerator(JsonGenerator delegate) {
        super(delegate, false);
        this.utf8 = delegate instanceof UTF8JsonGenerator;
    }

    @Override
    public void writeFieldName(String name) throws IOException {
        SerializedString encoded = NAMES.get(name);
        if (encoded == null) {
            if (name.length() > MAX_NAME_LENGTH || NAMES.size() >= MAX_NAMES) {
                delegate.writeFieldName(name);
                return;
            }
            encoded = new SerializedString(name);
            NAMES.putIfAbsent(name, encoded);
        }
        delegate.writeFieldName(encoded);
    }

    @Override
    public void writeString(String text) throws IOException {
        if (text == null || !utf8) {
            delegate.writeString(text);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != text.length()) {
            delegate.writeString(text); // not ASCII: Jackson's own encoding (it escapes surrogate pairs)
            return;
        }
        delegate.writeUTF8String(bytes, 0, bytes.length);
    }

    @Override
    public void writeRawValue(SerializableString raw) throws IOException {
        delegate.writeRawValue(raw);
    }
}
