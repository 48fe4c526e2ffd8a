package io.execguard.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileType;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ECS {@code file} object written into an object the caller holds open. */
class FileJsonTest {
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(Body body) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("before", "x");
            body.write(g);
            g.writeEndObject();
        }
        return w.toString();
    }

    @Test
    void fromADiagnosis() throws IOException {
        Diagnosis d = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder("/bin/true").build());
        String size = String.valueOf(java.nio.file.Files.size(java.nio.file.Path.of("/bin/true")));
        assertEquals("{\"before\":\"x\",\"file\":{\"path\":\"/bin/true\",\"type\":\"file\",\"size\":" + size
                + ",\"mode\":\"0755\",\"elf\":{\"architecture\":\"x86-64\",\"header\":{\"class\":\"ELF64\","
                + "\"data\":\"LSB\",\"type\":\"DYN\"}}}}", json(g -> FileJson.writeField(g, d)));
    }

    @Test
    void fromAttributesOrPathOnly() throws IOException {
        FileAttributes a = new FileAttributes(FileType.DIRECTORY, 01777, 4096, 0, 0, 0, 2, 0);
        assertEquals("{\"before\":\"x\",\"file\":{\"path\":\"/tmp\",\"type\":\"dir\",\"size\":4096,\"mode\":\"1777\"}}",
                json(g -> FileJson.writeField(g, "/tmp", Optional.of(a))));
        assertEquals("{\"before\":\"x\",\"file\":{\"path\":\"/gone\"}}",
                json(g -> FileJson.writeField(g, "/gone", Optional.empty())));
        Diagnosis missing = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder("/no/such/file").build());
        assertEquals("{\"before\":\"x\",\"file\":{\"path\":\"/no/such/file\"}}",
                json(g -> FileJson.writeField(g, missing)));
    }
}
