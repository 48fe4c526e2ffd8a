package io.execguard.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.event.EventJsonWriter;
import io.execguard.core.event.ExampleEvents;
import io.execguard.core.event.ExecEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BulkJsonGeneratorTest {
    private static final JsonFactory JSON = new JsonFactory();

    /** What Jackson's own byte-based generator writes for the same calls. */
    private interface Writes {
        void to(JsonGenerator g) throws IOException;
    }

    private static String plain(Writes w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.to(g);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String bulk(Writes w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new BulkJsonGenerator(JSON.createGenerator(out))) {
            w.to(g);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyExampleEventIsTheSameBytes() throws IOException {
        for (ExecEvent e : ExampleEvents.all()) {
            String expected = plain(g -> EventJsonWriter.standard().write(g, e));
            for (int round = 0; round < 2; round++) { // names encoded, then from the cache
                assertEquals(expected, bulk(g -> EventJsonWriter.standard().write(g, e)));
                assertEquals(expected, bulk(g -> EventJsonWriter.caching().write(g, e)));
            }
        }
    }

    @Test
    void escapesNonAsciiNullsLongNamesAndManyNamesAsJacksonDoes() throws IOException {
        Writes w = g -> {
            g.writeStartObject();
            g.writeStringField("quote\"and\\back", "1");
            g.writeStringField("text", "tab\tnewline\nquote\"back\\slash\u0001\u007f caf\u00e9 \u20ac \ud83d\ude00 </script>");
            g.writeStringField("null", null);
            g.writeStringField("x".repeat(100), "y".repeat(20_000)); // longer than the generator's buffer
            for (int i = 0; i < 3000; i++) { // more names than the cache keeps
                g.writeNumberField("n" + i, i);
            }
            g.writeArrayFieldStart("array");
            g.writeString("a");
            g.writeString("b\u00e9");
            g.writeEndArray();
            g.writeEndObject();
        };
        assertEquals(plain(w), bulk(w));
    }

    @Test
    void aCharacterBasedGeneratorIsLeftToJackson() throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new BulkJsonGenerator(JSON.createGenerator(out))) {
            g.writeStartObject();
            g.writeStringField("k", "caf\u00e9");
            g.writeEndObject();
        }
        assertEquals("{\"k\":\"caf\u00e9\"}", out.toString());
    }
}
