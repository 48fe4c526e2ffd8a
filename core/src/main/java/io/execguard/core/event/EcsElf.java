package io.execguard.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.diagnose.Evidence;
import java.io.IOException;
import java.util.Optional;

/**
 * Maps the diagnosis's {@code elf} evidence to ECS {@code file.elf.*}. Interim: to be replaced by the shared ECS
 * file writer of {@code io.execguard.core.json} once the engine branch provides it.
 */
final class EcsElf {
    private EcsElf() {
    }

    static void write(JsonGenerator g, Evidence elf) throws IOException {
        g.writeObjectFieldStart("elf");
        Optional<String> machine = elf.string("machine");
        if (machine.isPresent()) {
            g.writeStringField("architecture", machine.get());
        }
        Optional<String> data = elf.string("data");
        if (data.isPresent()) {
            g.writeStringField("byte_order", data.get().equals("MSB") ? "Big Endian" : "Little Endian");
        }
        g.writeObjectFieldStart("header");
        field(g, "class", elf.string("class"));
        field(g, "data", data);
        field(g, "type", elf.string("type"));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }
}
