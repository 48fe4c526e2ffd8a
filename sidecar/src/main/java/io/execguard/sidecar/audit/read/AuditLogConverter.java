package io.execguard.sidecar.audit.read;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.diagnose.Errno;
import io.execguard.core.diagnose.ObservedFailure;
import io.execguard.core.platform.Credentials;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.Lookup;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.ExecFailureExtractor;
import io.execguard.sidecar.audit.exec.PathItem;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.parse.MalformedRecordException;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import io.execguard.sidecar.audit.reassemble.ReassemblyStats;
import io.execguard.sidecar.audit.reassemble.Reassembler;
import io.execguard.sidecar.audit.source.LineSink;
import io.execguard.sidecar.audit.source.Lines;
import io.execguard.core.event.CallerKind;
import io.execguard.sidecar.watch.CallerClassifier;
import io.execguard.sidecar.watch.ExplainedFailure;
import io.execguard.sidecar.watch.Explainer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Converts audit log lines into explained failures offline, for {@code execguard audit read}. A failure is
 * diagnosed only when its file is reachable here and is the same file (device and inode) the records name - a
 * log from another machine, or a file replaced since, is reported with what the records say. Diagnoses are cached
 * by path, device and inode because logs repeat the same failure many times. Not thread-safe.
 */
public final class AuditLogConverter implements LineSink {
    private final AuditRecordParser parser = new AuditRecordParser();
    private final Reassembler reassembler;
    private final Optional<DiagnosisEngine> engine;
    private final FileTree tree;
    private final Consumer<ExplainedFailure> out;
    private final Map<String, Optional<Diagnosis>> cache = new HashMap<>();
    private long lines;
    private long malformed;
    private long failures;
    private long ignored;
    private String firstError;

    /**
     * @param engine the engine to diagnose with; empty to skip diagnosis
     * @param tree where files are looked up (the host's root)
     */
    public AuditLogConverter(Optional<DiagnosisEngine> engine, FileTree tree, Consumer<ExplainedFailure> out) {
        this.engine = engine;
        this.tree = tree;
        this.out = out;
        // Offline, time is the log's: only the in-flight bound and the end of input flush events.
        this.reassembler = new Reassembler(this::event, Duration.ofDays(365), Reassembler.DEFAULT_MAX_IN_FLIGHT,
                ExecFailureExtractor::isFailedExec);
    }

    /** Reads a whole stream (one log file). */
    public void read(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 20];
        Lines splitter = new Lines();
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            splitter.feed(buf, 0, n, this);
        }
        splitter.finish(this);
    }

    @Override
    public void line(byte[] buf, int off, int len) {
        lines++;
        if (len == 0) {
            return;
        }
        try {
            reassembler.push(parser.parseLogLine(buf, off, len), 0);
        } catch (MalformedRecordException e) {
            if (malformed++ == 0) {
                firstError = "line " + lines + ": " + e.getMessage();
            }
        }
    }

    /** End of all input: flushes open events. */
    public void finish() {
        reassembler.flush();
    }

    public long lines() {
        return lines;
    }

    public long malformed() {
        return malformed;
    }

    /** The first malformed line and why, for the summary. */
    public Optional<String> firstError() {
        return Optional.ofNullable(firstError);
    }

    public long failures() {
        return failures;
    }

    /** ENOENT failures of files that did not exist (PATH searches), not written. */
    public long ignored() {
        return ignored;
    }

    public ReassemblyStats stats() {
        return reassembler.stats();
    }

    private void event(AuditEvent e) {
        Optional<ExecFailure> failure = ExecFailureExtractor.from(e);
        if (failure.isEmpty()) {
            return;
        }
        ExecFailure f = failure.get();
        if (f.errno().equals(Optional.of(Errno.ENOENT)) && !f.target().map(PathItem::exists).orElse(false)) {
            ignored++;
            return;
        }
        failures++;
        CallerKind kind = CallerClassifier.classify(f.exe(), f.comm(), Optional.empty());
        Optional<Diagnosis> d = Optional.empty();
        Optional<String> skipped;
        if (engine.isEmpty()) {
            skipped = Optional.of("diagnosis not requested");
        } else {
            d = diagnose(f).map(x -> f.errno().map(n -> ObservedFailure.reconcile(x, n)).orElse(x));
            skipped = d.isPresent() ? Optional.empty()
                    : Optional.of("the file is not reachable here, or is no longer the file the records name");
        }
        out.accept(new ExplainedFailure(f, Optional.empty(), kind, d, skipped, Optional.empty(), Optional.empty()));
    }

    private Optional<Diagnosis> diagnose(ExecFailure f) {
        Optional<PathItem> t = f.target();
        Optional<String> path = f.absoluteTarget();
        if (t.isEmpty() || path.isEmpty() || t.get().inode().isEmpty() || t.get().device().isEmpty()) {
            return Optional.empty();
        }
        Credentials credentials = Explainer.credentials(f, Optional.empty());
        String key = path.get() + '\0' + t.get().device().get() + '\0' + t.get().inode().getAsLong() + '\0'
                + credentials;
        return cache.computeIfAbsent(key, k -> diagnoseIfSame(path.get(), t.get(), credentials));
    }

    private Optional<Diagnosis> diagnoseIfSame(String path, PathItem t, Credentials credentials) {
        try {
            Lookup l = tree.lookup(path, "/");
            Optional<FileAttributes> a = l.attributes();
            String dev = t.device().get();
            if (a.isEmpty() || a.get().inode() != t.inode().getAsLong()
                    || !dev.equals(hex2(a.get().deviceMajor()) + ":" + hex2(a.get().deviceMinor()))) {
                return Optional.empty();
            }
            return Optional.of(engine.get().diagnose(DiagnosisRequest.builder(path).tree(tree)
                    .credentials(credentials).build()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String hex2(long v) {
        String s = Long.toHexString(v);
        return s.length() < 2 ? "0" + s : s;
    }
}
