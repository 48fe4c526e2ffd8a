package io.execguard.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileType;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes the Elastic Common Schema {@code file} object - {@code path}, {@code type}, {@code size}, {@code mode},
 * {@code elf.architecture}, {@code elf.header.{class,data,type}} - into a JSON object the caller has open, for
 * {@code explain --json}, scan and events alike.
 */
public final class FileJson {
    private FileJson() {
    }

    /**
     * Writes {@code "file": {...}} for a diagnosed file: the path exactly as given, and size, mode and ELF header
     * facts from the diagnosis's {@code file} and {@code elf} evidence when present.
     */
    public static void writeField(JsonGenerator g, Diagnosis d) throws IOException {
        g.writeObjectFieldStart("file");
        g.writeStringField("path", d.path());
        Optional<Evidence> file = d.evidence().group("file");
        if (file.isPresent()) {
            writeString(g, "type", file.get().string("type").map(FileJson::ecsType));
            Optional<Object> size = file.get().get("size");
            if (size.isPresent() && size.get() instanceof Long) {
                g.writeNumberField("size", (Long) size.get());
            }
            writeString(g, "mode", file.get().string("mode"));
        }
        Optional<Evidence> elf = d.evidence().group(Evidence.ELF);
        if (elf.isPresent()) {
            writeElf(g, elf.get());
        }
        g.writeEndObject();
    }

    /** Writes {@code "file": {...}} for a file known only by path and (optionally) its attributes. */
    public static void writeField(JsonGenerator g, String path, Optional<FileAttributes> attributes)
            throws IOException {
        g.writeObjectFieldStart("file");
        g.writeStringField("path", path);
        if (attributes.isPresent()) {
            FileAttributes a = attributes.get();
            g.writeStringField("type", ecsType(a.type()));
            g.writeNumberField("size", a.size());
            g.writeStringField("mode", a.modeOctal());
        }
        g.writeEndObject();
    }

    /** Writes {@code "elf": {...}} from {@code elf} evidence into a {@code file} object the caller has open. */
    public static void writeElf(JsonGenerator g, Evidence elf) throws IOException {
        g.writeObjectFieldStart("elf");
        writeString(g, "architecture", elf.string("machine"));
        g.writeObjectFieldStart("header");
        writeString(g, "class", elf.string("class"));
        writeString(g, "data", elf.string("data"));
        writeString(g, "type", elf.string("type"));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeString(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }

    /** ECS {@code file.type}: file, dir, symlink, or the lower-case kind for special files. */
    public static String ecsType(FileType type) {
        switch (type) {
            case REGULAR:
                return "file";
            case DIRECTORY:
                return "dir";
            case SYMLINK:
                return "symlink";
            default:
                return type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    private static String ecsType(String evidenceType) {
        switch (evidenceType) {
            case "regular":
                return "file";
            case "directory":
                return "dir";
            default:
                return evidenceType.replace('_', ' ');
        }
    }
}
