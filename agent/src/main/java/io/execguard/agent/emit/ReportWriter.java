package io.execguard.agent.emit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.agent.config.Output;
import io.execguard.agent.explain.CallSite;
import io.execguard.agent.install.AgentLog;
import io.execguard.core.json.DiagnosisJson;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes reports as ECS JSON lines to the agent's output. Used by one thread at a time (the sink's writer thread).
 * A file output is opened on the first event, in append mode, and never created anywhere else: the agent writes no
 * temporary files.
 */
public final class ReportWriter {
    private static final byte[] NEWLINE = {'\n'};

    private final Output output;
    private final String mode;
    private final JsonFactory json = new JsonFactory();
    private final AtomicLong failed = new AtomicLong();
    private OutputStream stream;
    private boolean broken;

    public ReportWriter(Output output, String mode) {
        this.output = output;
        this.mode = mode;
    }

    /** Reports that could not be written (destination unavailable). */
    long failed() {
        return failed.get();
    }

    void write(ExecReport report) {
        OutputStream out = stream();
        if (out == null) {
            failed.incrementAndGet();
            return;
        }
        try {
            // One buffer per line so that a line is never interleaved with the application's own output.
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(2048);
            try (JsonGenerator g = json.createGenerator(line, JsonEncoding.UTF8)) {
                writeEvent(g, report);
            }
            line.write(NEWLINE);
            line.writeTo(out);
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            AgentLog.warn("could not write an event to " + output + " (" + e + ")");
        }
    }

    void flush() {
        if (stream != null) {
            try {
                stream.flush();
            } catch (IOException e) {
                AgentLog.warn("could not write events to " + output + " (" + e + ")");
            }
        }
    }

    private OutputStream stream() {
        if (stream != null || broken) {
            return stream;
        }
        switch (output.kind()) {
            case STDOUT:
                stream = System.out;
                break;
            case STDERR:
                stream = System.err;
                break;
            default:
                try {
                    stream = new PrintStream(new FileOutputStream(output.file().get(), true), false, "UTF-8");
                } catch (IOException | SecurityException e) {
                    broken = true;
                    AgentLog.warn("cannot open the event file " + output.file().get() + " (" + e.getMessage()
                            + "); events are dropped");
                }
        }
        return stream;
    }

    private void writeEvent(JsonGenerator g, ExecReport r) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", r.timestamp().toString());
        writeEventGroup(g, r);
        writeProcess(g);
        if (r.resolvedPath().isPresent()) {
            g.writeObjectFieldStart("file");
            g.writeStringField("path", r.resolvedPath().get());
            g.writeEndObject();
        }
        if (r.errorCode().isPresent() || r.errorMessage().isPresent()) {
            g.writeObjectFieldStart("error");
            if (r.errorCode().isPresent()) {
                g.writeStringField("code", r.errorCode().get());
            }
            if (r.errorMessage().isPresent()) {
                g.writeStringField("message", r.errorMessage().get());
            }
            g.writeEndObject();
        }
        g.writeObjectFieldStart("host");
        g.writeStringField("architecture", System.getProperty("os.arch", "unknown"));
        g.writeEndObject();
        writeExecguard(g, r);
        g.writeEndObject();
    }

    private static void writeEventGroup(JsonGenerator g, ExecReport r) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", r.action() == ExecReport.Action.EXEC_BLOCKED ? "alert" : "event");
        g.writeArrayFieldStart("category");
        g.writeString("process");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("start");
        g.writeEndArray();
        g.writeStringField("action", r.action().eventAction());
        g.writeStringField("outcome", "failure");
        g.writeStringField("module", "execguard");
        g.writeStringField("dataset", "execguard.agent");
        g.writeStringField("id", UUID.randomUUID().toString());
        g.writeEndObject();
    }

    private static void writeProcess(JsonGenerator g) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        g.writeObjectFieldStart("process");
        g.writeNumberField("pid", self.pid());
        try {
            Path exe = Files.readSymbolicLink(Path.of("/proc/self/exe"));
            g.writeStringField("executable", exe.toString());
            g.writeStringField("name", exe.getFileName().toString());
        } catch (IOException | UnsupportedOperationException e) {
            // Without /proc the executable is unknown; the pid still identifies the JVM.
        }
        g.writeStringField("working_directory", System.getProperty("user.dir", ""));
        if (self.parent().isPresent()) {
            g.writeObjectFieldStart("parent");
            g.writeNumberField("pid", self.parent().get().pid());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void writeExecguard(JsonGenerator g, ExecReport r) throws IOException {
        g.writeObjectFieldStart("execguard");
        g.writeStringField("mode", mode);
        g.writeObjectFieldStart("exec");
        writeArgs(g, ArgumentRedactor.redact(r.command()));
        g.writeStringField("working_directory", r.workingDirectory());
        g.writeEndObject();
        if (r.diagnosis().isPresent()) {
            g.writeFieldName("diagnosis");
            DiagnosisJson.write(g, r.diagnosis().get());
        }
        if (r.callSite().isPresent()) {
            writeCallSite(g, r.callSite().get());
        }
        if (r.denyRule().isPresent()) {
            g.writeStringField("deny_rule", r.denyRule().get());
        }
        g.writeEndObject();
    }

    private static void writeArgs(JsonGenerator g, List<String> args) throws IOException {
        g.writeArrayFieldStart("args");
        for (String a : args) {
            g.writeString(a);
        }
        g.writeEndArray();
    }

    private static void writeCallSite(JsonGenerator g, CallSite c) throws IOException {
        g.writeObjectFieldStart("call_site");
        g.writeStringField("class", c.className());
        g.writeStringField("method", c.methodName());
        if (c.fileName().isPresent()) {
            g.writeStringField("file", c.fileName().get());
        }
        if (c.lineNumber() >= 0) {
            g.writeNumberField("line", c.lineNumber());
        }
        g.writeStringField("frame", c.toString());
        g.writeEndObject();
    }
}
