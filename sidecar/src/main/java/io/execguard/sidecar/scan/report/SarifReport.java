package io.execguard.sidecar.scan.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.diagnose.Cause;
import io.execguard.core.json.DiagnosisJson;
import io.execguard.sidecar.scan.Finding;
import io.execguard.sidecar.scan.ScanReport;
import io.execguard.sidecar.scan.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A SARIF 2.1.0 log: one rule per {@link Cause} (its summary and remediation), one result per finding with the
 * file's path relative to the scanned root ({@code uriBaseId} {@value #ROOT}), so code-scanning views can list
 * and track them. Image-level findings carry a logical location (the image) instead of a file.
 */
final class SarifReport {
    static final String ROOT = "SCANROOT";
    private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final String VERSION = "0.1.0";
    private static final JsonFactory FACTORY = new JsonFactory();

    private SarifReport() {
    }

    static void write(ScanReport report, OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.useDefaultPrettyPrinter();
        List<Cause> rules = rules();
        g.writeStartObject();
        g.writeStringField("$schema", SCHEMA);
        g.writeStringField("version", "2.1.0");
        g.writeArrayFieldStart("runs");
        g.writeStartObject();
        tool(g, rules);
        baseIds(g, report);
        g.writeArrayFieldStart("invocations");
        g.writeStartObject();
        g.writeBooleanField("executionSuccessful", true);
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("results");
        for (Finding f : report.findings()) {
            result(g, f, rules.indexOf(f.diagnosis().cause()));
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.write('\n');
        out.flush();
        g.close();
    }

    /** Every cause but OK, in the enum's order: rule indexes stay stable between runs. */
    private static List<Cause> rules() {
        List<Cause> rules = new ArrayList<>();
        for (Cause c : Cause.values()) {
            if (c != Cause.OK) {
                rules.add(c);
            }
        }
        return rules;
    }

    private static void tool(JsonGenerator g, List<Cause> rules) throws IOException {
        g.writeObjectFieldStart("tool");
        g.writeObjectFieldStart("driver");
        g.writeStringField("name", "execguard");
        g.writeStringField("semanticVersion", VERSION);
        g.writeArrayFieldStart("rules");
        for (Cause c : rules) {
            g.writeStartObject();
            g.writeStringField("id", c.name());
            g.writeStringField("name", ruleName(c));
            text(g, "shortDescription", c.summary());
            text(g, "fullDescription", c.summary());
            text(g, "help", c.remediation());
            g.writeObjectFieldStart("defaultConfiguration");
            g.writeStringField("level", c.runnable() ? "warning" : "error");
            g.writeEndObject();
            g.writeObjectFieldStart("properties");
            if (c.defaultErrno().isPresent()) {
                g.writeStringField("errno", c.defaultErrno().get().name());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** {@code SHEBANG_CRLF} -> {@code ShebangCrlf}: SARIF rule names are meant to read as identifiers. */
    private static String ruleName(Cause c) {
        StringBuilder sb = new StringBuilder();
        for (String part : c.name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static void baseIds(JsonGenerator g, ScanReport report) throws IOException {
        g.writeObjectFieldStart("originalUriBaseIds");
        g.writeObjectFieldStart(ROOT);
        boolean directory = !report.units().isEmpty() && "directory".equals(report.units().get(0).format());
        if (directory) {
            String uri = Path.of(report.input()).toAbsolutePath().normalize().toUri().toString();
            g.writeStringField("uri", uri.endsWith("/") ? uri : uri + "/");
        }
        text(g, "description", (directory ? "The scanned directory " : "The root file system of the image ")
                + report.input());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void result(JsonGenerator g, Finding f, int ruleIndex) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.diagnosis().cause().name());
        g.writeNumberField("ruleIndex", ruleIndex);
        g.writeStringField("level", f.severity() == Severity.WARNING ? "warning" : "error");
        text(g, "message", f.diagnosis().summary() + " " + f.diagnosis().remediation());
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        if (f.kind() == Finding.Kind.IMAGE) {
            logical(g, f.path(), "module");
        } else {
            g.writeObjectFieldStart("physicalLocation");
            g.writeObjectFieldStart("artifactLocation");
            g.writeStringField("uri", relativeUri(f.path()));
            g.writeStringField("uriBaseId", ROOT);
            g.writeEndObject();
            g.writeEndObject();
            if (!f.subject().equals(f.path())) {
                logical(g, f.subject(), "module");
            }
        }
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("properties");
        g.writeStringField("severity", f.severity().label());
        g.writeStringField("targetPlatform", f.diagnosis().platform().toString());
        if (f.role().isPresent()) {
            g.writeStringField("entrypointRole", f.role().get());
        }
        g.writeFieldName("diagnosis");
        DiagnosisJson.write(g, f.diagnosis());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void logical(JsonGenerator g, String name, String kind) throws IOException {
        g.writeArrayFieldStart("logicalLocations");
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("kind", kind);
        g.writeEndObject();
        g.writeEndArray();
    }

    /** {@code /usr/bin/a b} -> {@code usr/bin/a%20b}: a relative URI reference against the scan root. */
    static String relativeUri(String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        int colon = relative.indexOf(':');
        if (colon >= 0 && (relative.indexOf('/') < 0 || colon < relative.indexOf('/'))) {
            // "a:b" would read as a URI scheme.
            relative = "./" + relative;
        }
        try {
            return new URI(null, null, relative, null).getRawPath();
        } catch (URISyntaxException e) {
            return relative.replaceAll("[^A-Za-z0-9._~/-]", "_");
        }
    }

    private static void text(JsonGenerator g, String field, String text) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("text", text);
        g.writeEndObject();
    }
}
