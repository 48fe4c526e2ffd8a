package io.execguard.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.execguard.core.context.ContainerIdentity;
import io.execguard.core.context.HostInfo;
import io.execguard.core.context.Orchestrator;
import io.execguard.core.context.SecurityContext;
import io.execguard.core.context.UserIds;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.json.DiagnosisJson;
import io.execguard.core.json.FileJson;
import io.execguard.core.redact.Redactor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serialises an {@link ExecEvent} as one JSON object with nested Elastic Common Schema names, the format of every
 * line execguard emits ({@code docs/event-schema.json}). Arguments, command lines and error messages pass through
 * the {@link Redactor} here, so no producer can forget it. Thread-safe.
 */
public final class EventJsonWriter {
    /** The ECS version the field names follow ({@code ecs.version}). */
    public static final String ECS_VERSION = "8.11.0";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final EventJsonWriter STANDARD = new EventJsonWriter(Redactor.standard(), false);
    /** The last second formatted, shared by all threads (an immutable value replaced whole). */
    private static volatile Second lastSecond;
    /** Diagnoses whose JSON a caching writer keeps; beyond that it starts again. */
    private static final int MAX_CACHED_DIAGNOSES = 1024;

    private final JsonFactory factory = new JsonFactory();
    private final Redactor redactor;
    /** The JSON of diagnoses written before, by identity; null when the writer does not cache. */
    private final ConcurrentHashMap<Identity, DiagnosisFragments> fragments;
    /** The host whose JSON a caching writer wrote last. */
    private volatile HostFragment lastHost;

    private EventJsonWriter(Redactor redactor, boolean caching) {
        this.redactor = redactor;
        this.fragments = caching ? new ConcurrentHashMap<>() : null;
    }

    /** A writer with {@link Redactor#standard()}. */
    public static EventJsonWriter standard() {
        return STANDARD;
    }

    /**
     * A writer with {@link Redactor#standard()} that also remembers the JSON it wrote for the last diagnoses (by
     * identity) and copies it into later events that carry the same {@link Diagnosis} object. For producers that
     * reuse one diagnosis in many events, such as {@code audit read}, which diagnoses each file once: the
     * diagnosis and the message made from it are most of an event's text. The {@code host} object of the last
     * host written is kept the same way. The output is the same bytes.
     */
    public static EventJsonWriter caching() {
        return new EventJsonWriter(Redactor.standard(), true);
    }

    /** The event as one line of JSON, without the line terminator. */
    public String toJson(ExecEvent event) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(g, event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen writing to a StringWriter", e);
        }
        return out.toString();
    }

    /** Writes the event as one JSON object to {@code g}. */
    public void write(JsonGenerator g, ExecEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", formatTimestamp(e.timestamp()));
        DiagnosisFragments cached = e.diagnosis().isPresent() ? fragments(e.diagnosis().get()) : null;
        if (e.message().isPresent()) {
            g.writeStringField("message", redactor.redact(e.message().get()));
        } else if (cached != null) {
            g.writeFieldName("message");
            g.writeString(cached.message);
        } else if (e.diagnosis().isPresent()) {
            g.writeStringField("message", redactor.redact(e.diagnosis().get().summary()));
        }
        g.writeObjectFieldStart("ecs");
        g.writeStringField("version", ECS_VERSION);
        g.writeEndObject();
        writeEventGroup(g, e);
        if (e.process().isPresent()) {
            writeProcess(g, e.process().get(), e.security());
        }
        if (e.file().isPresent()) {
            writeFile(g, e.file().get(), e.diagnosis());
        }
        if (e.error().isPresent()) {
            writeError(g, e.error().get());
        }
        if (e.user().isPresent()) {
            writeUser(g, e.user().get());
        }
        if (e.host().isPresent()) {
            SerializedString host = fragments == null ? null : hostFragment(e.host().get());
            if (host != null) {
                g.writeFieldName("host");
                g.writeRawValue(host);
            } else {
                writeHost(g, e.host().get());
            }
        }
        if (e.container().flatMap(ContainerIdentity::containerId).isPresent()) {
            writeContainer(g, e.container().get());
        }
        writeOrchestrator(g, e.orchestrator(), e.container().flatMap(ContainerIdentity::podUid));
        writeExecguard(g, e, cached);
        g.writeEndObject();
    }

    /** The cached JSON of {@code d}, made now if new; null when this writer does not cache. */
    private DiagnosisFragments fragments(Diagnosis d) throws IOException {
        if (fragments == null) {
            return null;
        }
        Identity key = new Identity(d);
        DiagnosisFragments f = fragments.get(key);
        if (f == null) {
            if (fragments.size() >= MAX_CACHED_DIAGNOSES) {
                fragments.clear();
            }
            StringWriter json = new StringWriter(1024);
            try (JsonGenerator g = factory.createGenerator(json)) {
                DiagnosisJson.write(g, d);
            }
            f = new DiagnosisFragments(new SerializedString(redactor.redact(d.summary())),
                    new SerializedString(json.toString()));
            fragments.put(key, f);
        }
        return f;
    }

    /** The {@code host} object of the last host written, by identity (events of one producer share one). */
    private SerializedString hostFragment(HostInfo h) throws IOException {
        HostFragment last = lastHost;
        if (last == null || last.host != h) {
            StringWriter json = new StringWriter(128);
            try (JsonGenerator g = factory.createGenerator(json)) {
                writeHostObject(g, h);
            }
            last = new HostFragment(h, new SerializedString(json.toString()));
            lastHost = last;
        }
        return last.json;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC; the part up to the second is reused while the second lasts. */
    static String formatTimestamp(Instant t) {
        Second s = lastSecond;
        if (s == null || s.epochSecond != t.getEpochSecond()) {
            String whole = TIMESTAMP.format(Instant.ofEpochSecond(t.getEpochSecond()));
            if (whole.length() != 24) {
                return TIMESTAMP.format(t); // a year outside 0000-9999
            }
            s = new Second(t.getEpochSecond(), whole.substring(0, 20));
            lastSecond = s;
        }
        int millis = t.getNano() / 1_000_000;
        char[] out = new char[24];
        s.prefix.getChars(0, 20, out, 0);
        out[20] = (char) ('0' + millis / 100);
        out[21] = (char) ('0' + millis / 10 % 10);
        out[22] = (char) ('0' + millis % 10);
        out[23] = 'Z';
        return new String(out);
    }

    private static final class Second {
        final long epochSecond;
        final String prefix;

        Second(long epochSecond, String prefix) {
            this.epochSecond = epochSecond;
            this.prefix = prefix;
        }
    }

    /** A host and its JSON object, replaced whole. */
    private static final class HostFragment {
        final HostInfo host;
        final SerializedString json;

        HostFragment(HostInfo host, SerializedString json) {
            this.host = host;
            this.json = json;
        }
    }

    /** A diagnosis's message (its summary, redacted) and its {@code execguard.diagnosis} object, as JSON. */
    private static final class DiagnosisFragments {
        final SerializedString message;
        final SerializedString diagnosis;

        DiagnosisFragments(SerializedString message, SerializedString diagnosis) {
            this.message = message;
            this.diagnosis = diagnosis;
        }
    }

    /** A map key that is equal only to the same object: diagnoses are compared by identity, cheaply. */
    private static final class Identity {
        final Object object;

        Identity(Object object) {
            this.object = object;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity && ((Identity) o).object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    private static void writeEventGroup(JsonGenerator g, ExecEvent e) throws IOException {
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", e.action().kind());
        g.writeArrayFieldStart("category");
        g.writeString("process");
        g.writeEndArray();
        g.writeArrayFieldStart("type");
        g.writeString("start");
        g.writeEndArray();
        g.writeStringField("action", e.action().value());
        g.writeStringField("outcome", "failure");
        g.writeStringField("module", "execguard");
        g.writeStringField("dataset", e.dataset().value());
        g.writeStringField("id", e.id());
        g.writeEndObject();
    }

    private void writeProcess(JsonGenerator g, ProcessInfo p, Optional<SecurityContext> security)
            throws IOException {
        g.writeObjectFieldStart("process");
        g.writeNumberField("pid", p.pid());
        stringField(g, "executable", p.executable());
        stringField(g, "name", p.name());
        if (!p.args().isEmpty()) {
            stringArray(g, "args", redactor.redactArgs(p.args()));
            g.writeNumberField("args_count", p.args().size());
        }
        if (p.commandLine().isPresent()) {
            g.writeStringField("command_line", redactor.redactCommandLine(p.commandLine().get()));
        }
        stringField(g, "working_directory", p.workingDirectory());
        if (p.parentPid().isPresent()) {
            g.writeObjectFieldStart("parent");
            g.writeNumberField("pid", p.parentPid().get());
            g.writeEndObject();
        }
        writeThread(g, p, security);
        g.writeEndObject();
    }

    /** Capabilities come from the process, or else from the security context read alongside it. */
    private static void writeThread(JsonGenerator g, ProcessInfo p, Optional<SecurityContext> security)
            throws IOException {
        List<String> effective = p.effectiveCapabilities();
        List<String> permitted = p.permittedCapabilities();
        if (effective.isEmpty() && permitted.isEmpty() && security.isPresent()) {
            effective = security.get().effectiveCapabilities();
            permitted = security.get().permittedCapabilities();
        }
        boolean caps = !effective.isEmpty() || !permitted.isEmpty() || security.isPresent();
        if (p.threadName().isEmpty() && !caps) {
            return;
        }
        g.writeObjectFieldStart("thread");
        stringField(g, "name", p.threadName());
        if (caps) {
            g.writeObjectFieldStart("capabilities");
            stringArray(g, "effective", effective);
            stringArray(g, "permitted", permitted);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeFile(JsonGenerator g, FileInfo f, Optional<Diagnosis> diagnosis) throws IOException {
        g.writeObjectFieldStart("file");
        g.writeStringField("path", f.path());
        int slash = f.path().lastIndexOf('/');
        if (slash >= 0 && slash < f.path().length() - 1) {
            g.writeStringField("name", f.path().substring(slash + 1));
            g.writeStringField("directory", slash == 0 ? "/" : f.path().substring(0, slash));
        }
        if (f.attributes().isPresent()) {
            FileAttributes a = f.attributes().get();
            g.writeStringField("type", FileJson.ecsType(a.type()));
            g.writeNumberField("size", a.size());
            g.writeStringField("mode", a.modeOctal());
            g.writeStringField("uid", Integer.toString(a.uid()));
            g.writeStringField("gid", Integer.toString(a.gid()));
            g.writeStringField("inode", Long.toString(a.inode()));
            g.writeStringField("device", a.deviceMajor() + ":" + a.deviceMinor());
            g.writeStringField("mtime", formatTimestamp(Instant.EPOCH.plusNanos(a.mtimeNanos())));
        }
        if (f.sha256().isPresent()) {
            g.writeObjectFieldStart("hash");
            g.writeStringField("sha256", f.sha256().get());
            g.writeEndObject();
        }
        Optional<Evidence> elf = diagnosis.flatMap(d -> d.evidence().group(Evidence.ELF));
        if (elf.isPresent()) {
            FileJson.writeElf(g, elf.get());
        }
        g.writeEndObject();
    }

    private void writeError(JsonGenerator g, ErrorInfo error) throws IOException {
        g.writeObjectFieldStart("error");
        g.writeStringField("code", error.code());
        if (error.message().isPresent()) {
            g.writeStringField("message", redactor.redact(error.message().get()));
        }
        g.writeEndObject();
    }

    private static void writeUser(JsonGenerator g, UserIds u) throws IOException {
        g.writeObjectFieldStart("user");
        g.writeStringField("id", Long.toString(u.uid()));
        g.writeObjectFieldStart("effective");
        g.writeStringField("id", Long.toString(u.effectiveUid()));
        g.writeObjectFieldStart("group");
        g.writeStringField("id", Long.toString(u.effectiveGid()));
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("group");
        g.writeStringField("id", Long.toString(u.gid()));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeHost(JsonGenerator g, HostInfo h) throws IOException {
        g.writeFieldName("host");
        writeHostObject(g, h);
    }

    private static void writeHostObject(JsonGenerator g, HostInfo h) throws IOException {
        g.writeStartObject();
        stringField(g, "hostname", h.hostname());
        stringField(g, "architecture", h.architecture());
        g.writeObjectFieldStart("os");
        g.writeStringField("type", "linux");
        stringField(g, "kernel", h.kernel());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeContainer(JsonGenerator g, ContainerIdentity c) throws IOException {
        g.writeObjectFieldStart("container");
        g.writeStringField("id", c.containerId().get());
        g.writeStringField("runtime", c.runtime().value());
        g.writeEndObject();
    }

    private static void writeOrchestrator(JsonGenerator g, Optional<Orchestrator> orchestrator,
                                          Optional<String> cgroupPodUid) throws IOException {
        if (orchestrator.isEmpty() && cgroupPodUid.isEmpty()) {
            return;
        }
        Orchestrator o = orchestrator.orElse(new Orchestrator(null, null, null)).withPodUid(cgroupPodUid.orElse(null));
        g.writeObjectFieldStart("orchestrator");
        g.writeStringField("type", "kubernetes");
        stringField(g, "namespace", o.namespace());
        g.writeObjectFieldStart("resource");
        g.writeStringField("type", "pod");
        stringField(g, "name", o.podName());
        stringField(g, "id", o.podUid());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeExecguard(JsonGenerator g, ExecEvent e, DiagnosisFragments cached)
            throws IOException {
        g.writeObjectFieldStart("execguard");
        if (cached != null) {
            g.writeFieldName("diagnosis");
            g.writeRawValue(cached.diagnosis);
        } else if (e.diagnosis().isPresent()) {
            g.writeFieldName("diagnosis");
            DiagnosisJson.write(g, e.diagnosis().get());
        }
        if (e.security().isPresent() || e.targetInWorldWritableDirectory().isPresent()) {
            writeSecurity(g, e.security().orElse(SecurityContext.unknown()), e.targetInWorldWritableDirectory());
        }
        if (e.source().isPresent()) {
            writeSource(g, e.source().get());
        }
        if (e.callerKind().isPresent()) {
            g.writeObjectFieldStart("caller");
            g.writeStringField("kind", e.callerKind().get().value());
            g.writeEndObject();
        }
        if (e.duplicates().isPresent()) {
            DuplicateSummary d = e.duplicates().get();
            g.writeObjectFieldStart("duplicates");
            g.writeNumberField("count", d.count());
            g.writeStringField("first_seen", formatTimestamp(d.firstSeen()));
            g.writeStringField("last_seen", formatTimestamp(d.lastSeen()));
            g.writeEndObject();
        }
        if (e.details().isPresent()) {
            g.writeFieldName("details");
            DiagnosisJson.writeEvidence(g, e.details().get());
        }
        g.writeEndObject();
    }

    private static void writeSecurity(JsonGenerator g, SecurityContext s, Optional<Boolean> worldWritable)
            throws IOException {
        g.writeObjectFieldStart("security");
        if (s.noNewPrivs().isPresent()) {
            g.writeBooleanField("no_new_privs", s.noNewPrivs().get());
        }
        if (s.seccomp().isPresent()) {
            g.writeStringField("seccomp", s.seccomp().get().value());
        }
        stringField(g, "lsm", s.lsm());
        stringField(g, "lsm_label", s.lsmLabel());
        if (worldWritable.isPresent()) {
            g.writeBooleanField("target_in_world_writable_dir", worldWritable.get());
        }
        g.writeEndObject();
    }

    private static void writeSource(JsonGenerator g, EventSource s) throws IOException {
        g.writeObjectFieldStart("source");
        g.writeStringField("type", s.type());
        if (!s.callSite().isEmpty()) {
            stringArray(g, "call_site", s.callSite());
        }
        stringField(g, "audit_event_id", s.auditEventId());
        g.writeEndObject();
    }

    private static void stringField(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }

    private static void stringArray(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
