package io.execguard.sidecar.scan.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.execguard.core.diagnose.Cause;
import io.execguard.core.json.DiagnosisJson;
import io.execguard.core.json.FileJson;
import io.execguard.sidecar.scan.Finding;
import io.execguard.sidecar.scan.ScanReport;
import io.execguard.sidecar.scan.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON object per line per finding with Elastic Common Schema names ({@code event.*}, {@code file.*},
 * {@code container.image.name}, and {@code execguard.diagnosis} exactly as every other execguard event writes
 * it), then one {@code scan-summary} object.
 */
final class JsonReport {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReport() {
    }

    static void write(ScanReport report, OutputStream out) throws IOException {
        String timestamp = Instant.now().toString();
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        for (Finding f : report.findings()) {
            finding(g, f, timestamp);
        }
        summary(g, report, timestamp);
        g.flush();
        out.write('\n');
        out.flush();
        g.close();
    }

    private static void finding(JsonGenerator g, Finding f, String timestamp) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", timestamp);
        event(g, "scan-finding", f.diagnosis().runnable() ? "event" : "alert", Optional.of(f.severity()));
        if (f.kind() != Finding.Kind.IMAGE) {
            file(g, f);
        }
        if (f.imageLibc().isPresent() || f.kind() == Finding.Kind.IMAGE) {
            g.writeObjectFieldStart("container");
            g.writeObjectFieldStart("image");
            g.writeStringField("name", f.subject());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeObjectFieldStart("execguard");
        g.writeFieldName("diagnosis");
        DiagnosisJson.write(g, f.diagnosis());
        g.writeObjectFieldStart("scan");
        g.writeStringField("severity", f.severity().label());
        g.writeStringField("kind", f.kind().name().toLowerCase(Locale.ROOT));
        g.writeStringField("subject", f.subject());
        g.writeStringField("target_platform", f.diagnosis().platform().toString());
        if (f.role().isPresent()) {
            g.writeStringField("role", f.role().get());
            g.writeNumberField("chain_position", f.chainPosition());
        }
        if (f.imageLibc().isPresent()) {
            g.writeStringField("image_libc", f.imageLibc().get());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void event(JsonGenerator g, String action, String kind, Optional<Severity> severity)
            throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", kind);
        g.writeArrayFieldStart("category");
        g.writeString("file");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("info");
        g.writeEndArray();
        g.writeStringField("action", action);
        g.writeStringField("module", "execguard");
        g.writeStringField("dataset", "execguard.scan");
        if (severity.isPresent()) {
            // ECS event.severity is numeric in the source's own scale: critical 3, error 2, warning 1.
            g.writeNumberField("severity", Severity.values().length - severity.get().ordinal());
        }
        g.writeEndObject();
    }

    /** ECS {@code file.*} by the shared writer: from the engine's evidence, else from the tree's attributes. */
    private static void file(JsonGenerator g, Finding f) throws IOException {
        if (f.diagnosis().evidence().group("file").isPresent()) {
            FileJson.writeField(g, f.diagnosis());
        } else {
            FileJson.writeField(g, f.path(), f.attributes());
        }
    }

    private static void summary(JsonGenerator g, ScanReport report, String timestamp) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", timestamp);
        event(g, "scan-summary", "event", Optional.empty());
        g.writeObjectFieldStart("execguard");
        g.writeObjectFieldStart("scan");
        g.writeObjectFieldStart("summary");
        g.writeStringField("input", report.input());
        g.writeNumberField("executables", report.executablesScanned());
        g.writeNumberField("findings", report.findings().size());
        g.writeNumberField("ignored", report.ignored());
        if (report.worst().isPresent()) {
            g.writeStringField("worst", report.worst().get().label());
        }
        g.writeObjectFieldStart("by_severity");
        for (Map.Entry<Severity, Integer> e : report.countsBySeverity().entrySet()) {
            g.writeNumberField(e.getKey().label(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("by_cause");
        for (Map.Entry<Cause, Integer> e : report.countsByCause().entrySet()) {
            g.writeNumberField(e.getKey().name(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("units");
        for (ScanReport.Unit u : report.units()) {
            unit(g, u);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void unit(JsonGenerator g, ScanReport.Unit u) throws IOException {
        g.writeStartObject();
        g.writeStringField("subject", u.subject());
        g.writeStringField("format", u.format());
        g.writeStringField("target_platform", u.target().toString());
        g.writeNumberField("executables", u.executables());
        if (u.libc().isPresent()) {
            g.writeStringField("libc", u.libc().get());
            g.writeNumberField("captured_bytes", u.capturedBytes());
        }
        g.writeArrayFieldStart("entrypoint_chain");
        for (String link : u.chain()) {
            g.writeString(link);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
