package io.execguard.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Evidence;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Diagnosis} as the {@code execguard.diagnosis} JSON object shared by {@code explain --json},
 * scan and every event.
 */
public final class DiagnosisJson {
    private DiagnosisJson() {
    }

    /** Writes {@code {"cause":..,"errno":..,"runnable":..,"summary":..,"remediation":..,"platform":..,"evidence":{..}}}. */
    public static void write(JsonGenerator g, Diagnosis d) throws IOException {
        g.writeStartObject();
        g.writeStringField("cause", d.cause().name());
        if (d.errno().isPresent()) {
            g.writeStringField("errno", d.errno().get().name());
        }
        g.writeBooleanField("runnable", d.runnable());
        g.writeStringField("summary", d.summary());
        g.writeStringField("remediation", d.remediation());
        g.writeStringField("platform", d.platform().toString());
        if (d.resolvedPath().isPresent()) {
            g.writeStringField("resolved_path", d.resolvedPath().get());
        }
        g.writeFieldName("evidence");
        writeEvidence(g, d.evidence());
        g.writeEndObject();
    }

    /** Writes an evidence tree as a JSON object. */
    public static void writeEvidence(JsonGenerator g, Evidence e) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> entry : e.asMap().entrySet()) {
            g.writeFieldName(entry.getKey());
            writeValue(g, entry.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Evidence) {
            writeEvidence(g, (Evidence) v);
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Long) {
            g.writeNumber((Long) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
