package io.execguard.sidecar.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.json.DiagnosisJson;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.PathItem;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes an {@link ExplainedFailure} as one JSON line with Elastic Common Schema names ({@code event.*},
 * {@code process.*} of the caller, {@code file.*} of the target, {@code error.*}, {@code user.*},
 * {@code container.id}) and execguard's own {@code execguard.*} (diagnosis, caller kind, audit stamp, repeat).
 * Not thread-safe: one writer per output thread.
 */
public final class FailureJsonWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private final JsonGenerator g;
    private final String hostName;

    public FailureJsonWriter(OutputStream out, String hostName) throws IOException {
        this.g = JSON.createGenerator(out);
        this.g.setRootValueSeparator(null);
        this.hostName = hostName;
    }

    /** Writes one event followed by a newline. */
    public void write(ExplainedFailure e) throws IOException {
        ExecFailure f = e.failure();
        g.writeStartObject();
        g.writeStringField("@timestamp", Instant.ofEpochMilli(f.epochMillis()).toString());
        writeEvent(e, f);
        writeProcess(e, f);
        writeFile(f);
        g.writeObjectFieldStart("error");
        g.writeStringField("code", f.errorCode());
        g.writeStringField("message", f.errno().map(x -> x.message()).orElse("exec failed"));
        g.writeEndObject();
        writeUser(f);
        g.writeObjectFieldStart("host");
        g.writeStringField("hostname", f.node().orElse(hostName));
        g.writeStringField("architecture", f.arch().platform());
        g.writeEndObject();
        if (e.containerId().isPresent()) {
            g.writeObjectFieldStart("container");
            g.writeStringField("id", e.containerId().get());
            g.writeEndObject();
        }
        writeExecguard(e, f);
        g.writeEndObject();
        g.writeRaw('\n');
    }

    public void flush() throws IOException {
        g.flush();
    }

    private void writeEvent(ExplainedFailure e, ExecFailure f) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "event");
        g.writeArrayFieldStart("category");
        g.writeString("process");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("start");
        g.writeEndArray();
        g.writeStringField("action", "exec-failed");
        g.writeStringField("outcome", "failure");
        g.writeStringField("module", "execguard");
        g.writeStringField("dataset", "execguard.sidecar");
        g.writeStringField("id", eventId(f));
        g.writeEndObject();
    }

    private void writeProcess(ExplainedFailure e, ExecFailure f) throws IOException {
        g.writeObjectFieldStart("process");
        g.writeNumberField("pid", f.pid());
        optional("executable", f.exe());
        optional("name", f.comm());
        if (!e.redactedArgs().isEmpty()) {
            g.writeArrayFieldStart("args");
            for (String a : e.redactedArgs()) {
                g.writeString(a);
            }
            g.writeEndArray();
            g.writeStringField("command_line", String.join(" ", e.redactedArgs()));
        }
        optional("working_directory", f.cwd());
        g.writeObjectFieldStart("parent");
        g.writeNumberField("pid", f.ppid());
        if (e.caller().isPresent() && e.caller().get().parentExe().isPresent()) {
            g.writeStringField("executable", e.caller().get().parentExe().get());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private void writeFile(ExecFailure f) throws IOException {
        Optional<PathItem> t = f.target();
        if (t.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("file");
        g.writeStringField("path", f.absoluteTarget().orElse(t.get().name()));
        if (t.get().inode().isPresent()) {
            g.writeStringField("inode", Long.toString(t.get().inode().getAsLong()));
        }
        optional("device", t.get().device());
        optional("mode", t.get().mode().map(m -> m.length() > 4 ? m.substring(m.length() - 4) : m));
        g.writeEndObject();
    }

    private void writeUser(ExecFailure f) throws IOException {
        g.writeObjectFieldStart("user");
        g.writeStringField("id", Long.toString(f.uid()));
        g.writeObjectFieldStart("effective");
        g.writeStringField("id", Long.toString(f.euid()));
        g.writeEndObject();
        g.writeObjectFieldStart("group");
        g.writeStringField("id", Long.toString(f.gid()));
        g.writeEndObject();
        if (f.loginUid().isPresent()) {
            g.writeObjectFieldStart("audit");
            g.writeStringField("id", Long.toString(f.loginUid().getAsLong()));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void writeExecguard(ExplainedFailure e, ExecFailure f) throws IOException {
        g.writeObjectFieldStart("execguard");
        g.writeStringField("source", "audit");
        if (e.diagnosis().isPresent()) {
            g.writeFieldName("diagnosis");
            DiagnosisJson.write(g, e.diagnosis().get());
        } else if (e.diagnosisSkipped().isPresent()) {
            g.writeStringField("diagnosis_skipped", e.diagnosisSkipped().get());
        }
        g.writeObjectFieldStart("caller");
        g.writeStringField("kind", e.callerKind().label());
        g.writeBooleanField("falls_back_to_shell", e.callerKind().fallsBackToShell());
        if (e.caller().isPresent()) {
            g.writeBooleanField("seen_via_parent", e.caller().get().viaParent());
        }
        g.writeEndObject();
        optional("root", e.root());
        g.writeObjectFieldStart("audit");
        g.writeNumberField("serial", f.serial());
        g.writeStringField("syscall", f.syscall());
        g.writeStringField("arch", f.arch().bits());
        if (!f.keys().isEmpty()) {
            g.writeArrayFieldStart("keys");
            for (String k : f.keys()) {
                g.writeString(k);
            }
            g.writeEndArray();
        }
        if (!f.complete()) {
            g.writeBooleanField("complete", false);
        }
        g.writeEndObject();
        if (e.repeat().isPresent()) {
            ExplainedFailure.Repeat r = e.repeat().get();
            g.writeObjectFieldStart("repeat");
            g.writeNumberField("count", r.count());
            g.writeStringField("first", Instant.ofEpochMilli(r.firstMillis()).toString());
            g.writeStringField("last", Instant.ofEpochMilli(r.lastMillis()).toString());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void optional(String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }

    private static String eventId(ExecFailure f) {
        String millis = Integer.toString((int) (f.epochMillis() % 1000));
        return (f.node().map(n -> n + ":").orElse("")) + f.epochMillis() / 1000 + "."
                + "000".substring(millis.length()) + millis + ":" + f.serial();
    }
}
