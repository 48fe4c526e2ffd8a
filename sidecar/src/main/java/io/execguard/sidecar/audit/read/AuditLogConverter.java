package io.execguard.sidecar.audit.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.diagnose.Errno;
import io.execguard.core.diagnose.ObservedFailure;
import io.execguard.core.event.CallerKind;
import io.execguard.core.event.EventJsonWriter;
import io.execguard.core.event.EventSource;
import io.execguard.core.event.ExecEvent;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.Lookup;
import io.execguard.core.json.BulkJsonGenerator;
import io.execguard.core.platform.Credentials;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.ExecFailureExtractor;
import io.execguard.sidecar.audit.exec.PathItem;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import io.execguard.sidecar.audit.reassemble.ReassemblyStats;
import io.execguard.sidecar.audit.reassemble.Reassembler;
import io.execguard.sidecar.audit.source.Lines;
import io.execguard.sidecar.watch.CallerClassifier;
import io.execguard.sidecar.watch.ExplainedFailure;
import io.execguard.sidecar.watch.FailureEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Converts audit logs into JSON event lines offline, for {@code execguard audit read}, using every CPU while
 * keeping the log's order. The work is cut three ways:
 * <ol>
 *   <li>pool threads parse chunks of whole lines into records (and pre-test each SYSCALL record for a failed
 *       exec);</li>
 *   <li>the calling thread reassembles the records in log order - the only step that needs all of them, in
 *       order - and cuts the completed events into batches;</li>
 *   <li>pool threads turn each batch into failures, diagnose them and write the JSON lines; the calling thread
 *       copies the batches to the output in the order they were cut.</li>
 * </ol>
 * At most a few chunks and batches per thread are in flight, so memory stays bounded whatever the log's size.
 *
 * <p>A failure is diagnosed only when its file is reachable here and is the same file (device and inode) the
 * records name - a log from another machine, or a file replaced since, is reported with what the records say.
 * Diagnoses are cached by path, device and inode because logs repeat the same failure many times. ENOENT failures
 * of files that do not exist (a shell's PATH search) are counted, not written. One thread calls {@link #read},
 * {@link #finish} and {@link #close}.
 */
public final class AuditLogConverter implements AutoCloseable {
    /**
     * Bytes read and parsed as one unit: big enough to amortise a hand-off, small enough to spread the work - and
     * small enough that the chunks still referred to by records in flight are cheap for the young collector to
     * copy (2 MiB chunks made collections 5-10 times slower).
     */
    static final int CHUNK = 256 << 10;
    /** Events per serialisation batch. */
    private static final int BATCH = 256;
    /** Distinct files whose diagnosis is remembered; beyond that the cache starts again. */
    private static final int MAX_CACHED = 65_536;
    private static final JsonFactory JSON = new JsonFactory();

    private final int chunkSize;
    private final Optional<DiagnosisEngine> engine;
    private final FileTree tree;
    private final OutputStream out;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final Reassembler reassembler;
    private final ArrayDeque<Future<ParsedChunk>> parsing = new ArrayDeque<>();
    private final ArrayDeque<Future<Rendered>> rendering = new ArrayDeque<>();
    private final ConcurrentHashMap<String, Optional<Diagnosis>> cache = new ConcurrentHashMap<>();
    /** Copies the JSON of a diagnosis already written: the cache above hands out the same object per file. */
    private final EventJsonWriter json = EventJsonWriter.caching();
    private List<AuditEvent> batch = new ArrayList<>(BATCH);
    /** The failed-exec verdict of the SYSCALL record being pushed, for the reassembler's filter. */
    private boolean pushingFailedExec;
    private long lines;
    private long malformed;
    private long failures;
    private long ignored;
    private long unconverted;
    private String firstError;
    private String firstUnconverted;

    /**
     * @param engine the engine to diagnose with; empty to skip diagnosis
     * @param tree where files are looked up (the host's root)
     * @param out where the JSON lines go; not closed
     * @param threads pool threads that parse and write JSON (the calling thread reassembles)
     */
    public AuditLogConverter(Optional<DiagnosisEngine> engine, FileTree tree, OutputStream out, int threads) {
        this(engine, tree, out, threads, CHUNK);
    }

    /** With another chunk size, so that tests can put chunk boundaries everywhere. */
    AuditLogConverter(Optional<DiagnosisEngine> engine, FileTree tree, OutputStream out, int threads,
            int chunkSize) {
        if (threads < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("threads and chunk size must be at least 1");
        }
        this.chunkSize = chunkSize;
        this.engine = engine;
        this.tree = tree;
        this.out = out;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "execguard-audit-read");
            t.setDaemon(true);
            return t;
        });
        this.maxInFlight = 2 * threads + 1;
        // Offline, time is the log's: only the in-flight bound and the end of input flush events.
        this.reassembler = new Reassembler(e -> batch.add(e), Duration.ofDays(365), Reassembler.DEFAULT_MAX_IN_FLIGHT,
                r -> pushingFailedExec);
    }

    /** Reads one whole log file (a stream), after those read before: events may span files. */
    public void read(InputStream in) throws IOException {
        byte[] carry = new byte[0];
        int carried = 0;
        while (true) {
            byte[] buf = new byte[Math.max(chunkSize, 2 * carried)];
            System.arraycopy(carry, 0, buf, 0, carried);
            int n = carried;
            int r = 0;
            while (n < buf.length && (r = in.read(buf, n, buf.length - n)) >= 0) {
                n += r;
            }
            if (r < 0) {
                submitParse(buf, n);
                return;
            }
            int cut = lastNewline(buf, n);
            if (cut < 0 && n < Lines.MAX_LINE) {
                carry = buf; // a line longer than the chunk so far: read on until it ends
                carried = n;
                continue;
            }
            if (cut < 0) {
                // No audit record is that long: the line is delivered cut, as Lines does.
                submitParse(buf, n);
                carried = 0;
                continue;
            }
            submitParse(buf, cut + 1);
            carry = buf;
            carried = n - cut - 1;
            if (carried > 0) {
                byte[] rest = new byte[carried];
                System.arraycopy(buf, cut + 1, rest, 0, carried);
                carry = rest;
            }
        }
    }

    /** End of all input: flushes open events and writes every pending line. */
    public void finish() throws IOException {
        while (!parsing.isEmpty()) {
            reassemble(take(parsing));
        }
        reassembler.flush();
        submitRender();
        while (!rendering.isEmpty()) {
            write(take(rendering));
        }
    }

    /** Stops the pool; lines not finished are dropped (use {@link #finish} first). */
    @Override
    public void close() {
        pool.shutdownNow();
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

    /** Failures written. */
    public long failures() {
        return failures;
    }

    /** ENOENT failures of files that did not exist (PATH searches), not written. */
    public long ignored() {
        return ignored;
    }

    /** Events that could not be turned into JSON (a defect here, never the log's fault); left out, counted. */
    public long unconverted() {
        return unconverted;
    }

    /** The first event that could not be converted and why. */
    public Optional<String> firstUnconverted() {
        return Optional.ofNullable(firstUnconverted);
    }

    public ReassemblyStats stats() {
        return reassembler.stats();
    }

    private void submitParse(byte[] buf, int len) throws IOException {
        if (len == 0) {
            return;
        }
        parsing.add(pool.submit(() -> ParsedChunk.parse(buf, len)));
        while (!parsing.isEmpty() && (parsing.size() > maxInFlight || parsing.peek().isDone())) {
            reassemble(take(parsing));
        }
    }

    private void reassemble(ParsedChunk c) throws IOException {
        if (c.malformed() > 0 && malformed == 0) {
            firstError = "line " + (lines + c.firstErrorLine()) + ": " + c.firstError();
        }
        lines += c.lines();
        malformed += c.malformed();
        for (int i = 0, n = c.size(); i < n; i++) {
            pushingFailedExec = c.failedExec(i);
            reassembler.push(c.record(i), 0);
            if (batch.size() >= BATCH) {
                submitRender();
            }
        }
        // Records parsed in place refer to the chunk: those whose event has not ended get their own copy, so that a
        // log of events that never end (cut logs, garbage) holds a few records per event, not a chunk per event.
        reassembler.detachPending();
    }

    private void submitRender() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        List<AuditEvent> events = batch;
        batch = new ArrayList<>(BATCH);
        rendering.add(pool.submit(() -> render(events)));
        while (!rendering.isEmpty() && (rendering.size() > maxInFlight || rendering.peek().isDone())) {
            write(take(rendering));
        }
    }

    private void write(Rendered r) throws IOException {
        if (r.unconverted > 0 && unconverted == 0) {
            firstUnconverted = r.firstUnconverted;
        }
        unconverted += r.unconverted;
        try {
            out.write(r.json, 0, r.length);
        } catch (IOException e) {
            throw new IOException("cannot write the events: " + e.getMessage(), e);
        }
        failures += r.failures;
        ignored += r.ignored;
    }

    /** Flushes {@code out}, with the message {@link #write} gives a failed write. */
    static void flush(OutputStream out) throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new IOException("cannot write the events: " + e.getMessage(), e);
        }
    }

    private static <T> T take(ArrayDeque<Future<T>> queue) throws IOException {
        try {
            return queue.poll().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while converting the audit log");
        } catch (ExecutionException e) {
            throw new IOException("converting the audit log failed: " + e.getCause(), e.getCause());
        }
    }

    /** Runs on a pool thread: the failures of a batch of events as JSON lines. */
    private Rendered render(List<AuditEvent> events) throws IOException {
        Rendered r = new Rendered();
        ByteArrayOutputStream buf = new Exposed(events.size() * 2048);
        try (JsonGenerator g = new BulkJsonGenerator(JSON.createGenerator(buf))) {
            g.setRootValueSeparator(null);
            for (AuditEvent e : events) {
                ExecEvent event;
                try {
                    Optional<ExplainedFailure> f = explain(e, r);
                    if (f.isEmpty()) {
                        continue;
                    }
                    event = FailureEvents.toEvent(f.get(), EventSource.AUDIT_LOG);
                } catch (RuntimeException bug) {
                    // One event the code cannot handle must not cost the rest of a forensic log: counted, named.
                    if (r.unconverted++ == 0) {
                        r.firstUnconverted = "audit event " + e.seconds() + "." + e.millis() + ":" + e.serial()
                                + ": " + bug;
                    }
                    continue;
                }
                json.write(g, event);
                g.writeRaw('\n');
            }
        }
        r.json = ((Exposed) buf).bytes();
        r.length = buf.size();
        return r;
    }

    private Optional<ExplainedFailure> explain(AuditEvent e, Rendered counts) {
        Optional<ExecFailure> failure = ExecFailureExtractor.from(e);
        if (failure.isEmpty()) {
            return Optional.empty();
        }
        ExecFailure f = failure.get();
        if (f.errno().equals(Optional.of(Errno.ENOENT)) && !f.target().map(PathItem::exists).orElse(false)) {
            counts.ignored++;
            return Optional.empty();
        }
        counts.failures++;
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
        return Optional.of(new ExplainedFailure(f, Optional.empty(), kind, d, skipped, Optional.empty(),
                Optional.empty()));
    }

    private Optional<Diagnosis> diagnose(ExecFailure f) {
        Optional<PathItem> t = f.target();
        Optional<String> path = f.absoluteTarget();
        if (t.isEmpty() || path.isEmpty() || t.get().inode().isEmpty() || t.get().device().isEmpty()) {
            return Optional.empty();
        }
        // Explainer's rule, without loading Explainer (and with it the logging back-end) into a batch conversion.
        Credentials credentials = f.credentialsAtExec();
        String key = path.get() + '\0' + t.get().device().get() + '\0' + t.get().inode().getAsLong() + '\0'
                + credentials;
        Optional<Diagnosis> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        // Two threads may diagnose the same new file at once; both get the same answer, one is kept.
        Optional<Diagnosis> d = diagnoseIfSame(path.get(), t.get(), credentials);
        Optional<Diagnosis> raced = cache.putIfAbsent(key, d);
        return raced != null ? raced : d;
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

    private static int lastNewline(byte[] b, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A batch's JSON lines and what was counted while making them. */
    private static final class Rendered {
        byte[] json;
        int length;
        int failures;
        int ignored;
        int unconverted;
        String firstUnconverted;
    }

    /** Hands out its buffer without the copy {@code toByteArray} makes. */
    private static final class Exposed extends ByteArrayOutputStream {
        Exposed(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
