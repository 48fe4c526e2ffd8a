package io.execguard.sidecar.watch;

import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.event.ExecEvent;
import io.execguard.sidecar.audit.exec.ExecFailureExtractor;
import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.sidecar.audit.netlink.AuditException;
import io.execguard.sidecar.audit.netlink.AuditMulticastReader;
import io.execguard.sidecar.audit.netlink.AuditPreconditions;
import io.execguard.sidecar.audit.netlink.AuditStatus;
import io.execguard.sidecar.audit.parse.AuditRecord;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import io.execguard.sidecar.audit.reassemble.ReassemblyStats;
import io.execguard.sidecar.audit.reassemble.Reassembler;
import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.AuditRules;
import io.execguard.sidecar.audit.source.AuditRecordSource;
import io.execguard.sidecar.audit.source.LogFileRecordSource;
import io.execguard.sidecar.audit.source.NetlinkRecordSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The running {@code execguard watch}: a reader thread (source, parser, reassembler) hands failed-exec events to a
 * worker thread (enrichment, diagnosis, flood guard) through a bounded queue, so a slow diagnosis never makes the
 * socket overflow; what the queue cannot take is counted as dropped. A {@link LossMonitor} samples the kernel's
 * audit lost counter and says in the log whenever anything was lost on the way (kernel, socket, serial gaps,
 * queue). Installs and removes its audit rules when asked to, and proves readiness with its own failed exec.
 */
public final class Watcher implements AutoCloseable {
    /** Exit code: audit is unavailable or watch lacks a privilege. */
    public static final int EXIT_AUDIT = 3;
    /** Exit code: the source cannot be read. */
    public static final int EXIT_SOURCE = 4;
    /** Failed execs that may wait for the worker; more are counted as dropped. */
    public static final int DEFAULT_QUEUE = 16_384;
    private static final Duration RETRY_PROBE = Duration.ofSeconds(30);

    /** What to watch and how. */
    public record Settings(Optional<Path> auditLog, boolean fromStart, boolean installRules, String ruleKey,
            Scope scope, Duration dedupeWindow, Duration readyTimeout, boolean probe, Path probeDirectory,
            RootTrees trees, int queueCapacity, int receiveBufferBytes) {
        public Settings {
            Objects.requireNonNull(ruleKey, "ruleKey");
            Objects.requireNonNull(trees, "trees");
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1");
            }
            if (receiveBufferBytes < 1) {
                throw new IllegalArgumentException("receiveBufferBytes must be at least 1");
            }
        }

        /** Settings with the default queue of {@link #DEFAULT_QUEUE} failed execs. */
        public Settings(Optional<Path> auditLog, boolean fromStart, boolean installRules, String ruleKey,
                Scope scope, Duration dedupeWindow, Duration readyTimeout, boolean probe, Path probeDirectory,
                RootTrees trees) {
            this(auditLog, fromStart, installRules, ruleKey, scope, dedupeWindow, readyTimeout, probe,
                    probeDirectory, trees, DEFAULT_QUEUE, AuditMulticastReader.DEFAULT_RECEIVE_BUFFER);
        }

        /** The same settings with a queue of {@code capacity} failed execs. */
        public Settings withQueueCapacity(int capacity) {
            return new Settings(auditLog, fromStart, installRules, ruleKey, scope, dedupeWindow, readyTimeout, probe,
                    probeDirectory, trees, capacity, receiveBufferBytes);
        }

        /** The same settings asking for an audit socket receive buffer of {@code bytes}. */
        public Settings withReceiveBuffer(int bytes) {
            return new Settings(auditLog, fromStart, installRules, ruleKey, scope, dedupeWindow, readyTimeout, probe,
                    probeDirectory, trees, queueCapacity, bytes);
        }

        /**
         * Defaults: netlink, no rules installed, node scope, one-minute flood window, 10 s to get ready, roots
         * opened with the safe opener.
         */
        public static Settings defaults() {
            return new Settings(Optional.empty(), false, false, AuditRules.DEFAULT_KEY, Scope.NODE,
                    Duration.ofMinutes(1), Duration.ofSeconds(10), true, Path.of(System.getProperty("java.io.tmpdir")),
                    RootTrees.safe());
        }
    }

    private final Settings settings;
    private final Consumer<ExecEvent> out;
    private final WatchMetrics metrics;
    private final Consumer<String> log;
    private final ArrayBlockingQueue<AuditEvent> queue;
    private final List<AuditRule> installed = new ArrayList<>();
    private AuditRecordSource source;
    private Reassembler reassembler;
    private FailurePipeline pipeline;
    private ReadinessProbe probe;
    private Thread reader;
    private Thread worker;
    private Thread prober;
    private Thread lossWatch;
    private LossMonitor losses;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile String notReady = "starting";
    private volatile ReassemblyStats stats = new ReassemblyStats(0, 0, 0, 0, 0);
    private volatile Throwable sourceFailure;

    /**
     * @param out receives every event to write (the event pipeline's non-blocking offer)
     * @param log receives one-line status messages for the user
     */
    public Watcher(Settings settings, Consumer<ExecEvent> out, WatchMetrics metrics, Consumer<String> log) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.out = out;
        this.metrics = metrics;
        this.log = log;
    }

    /** Installs rules if asked, opens the source and starts the threads and the readiness probe. */
    public synchronized void start() throws WatchException {
        if (settings.installRules()) {
            installRules();
        } else if (settings.auditLog().isEmpty()) {
            reportCoverage();
        }
        source = openSource();
        reassembler = new Reassembler(this::enqueue, Reassembler.DEFAULT_TIMEOUT, Reassembler.DEFAULT_MAX_IN_FLIGHT,
                ExecFailureExtractor::isFailedExec);
        ProcReader proc = ProcReader.system();
        RootAccess access = RootAccess.ofThisProcess();
        access.startupNotice(settings.scope()).ifPresent(log);
        Explainer explainer = new Explainer(DiagnosisEngine.forHost(), proc, settings.trees(), access);
        if (settings.probe()) {
            try {
                probe = ReadinessProbe.create(settings.probeDirectory());
            } catch (IOException e) {
                throw new WatchException("cannot create the readiness probe file in " + settings.probeDirectory()
                        + ": " + e.getMessage(), 1, e);
            }
        }
        pipeline = new FailurePipeline(explainer,
                settings.scope() == Scope.POD ? Optional.of(new PodScope(proc, settings.trees())) : Optional.empty(),
                f -> probe != null ? probe.test(f) : ReadinessProbe.isProbe(f), settings.dedupeWindow(),
                e -> out.accept(FailureEvents.toEvent(e, source.type())), metrics, log);
        metrics.socketOverflows(source::socketOverflows);
        metrics.socketDropped(source::socketDroppedRecords);
        metrics.gaps(() -> stats.lostEvents());
        metrics.incomplete(() -> stats.incompleteEvents());
        metrics.rotationLosses(source::rotationLosses);
        metrics.queued(queue::size);
        losses = LossMonitor.start(settings.auditLog().isEmpty(), this::losses, log);
        metrics.kernelLost(losses::kernelLost);
        running = true;
        reader = thread("execguard-audit-reader", this::readLoop);
        worker = thread("execguard-explain", this::workLoop);
        lossWatch = thread("execguard-losses", this::lossLoop);
        if (probe != null) {
            prober = thread("execguard-readiness", this::probeLoop);
        } else {
            ready = true;
            notReady = "";
        }
    }

    /** True once the probe came back (or no probe was asked for). */
    public boolean ready() {
        return ready;
    }

    /** Why watch is not ready, in one sentence; empty when ready. */
    public String notReadyReason() {
        return ready ? "" : notReady;
    }

    /** True while the reader runs without a fatal source failure. */
    public boolean healthy() {
        return running && sourceFailure == null && reader != null && reader.isAlive();
    }

    /** Waits until ready or the timeout passes. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return ready;
    }

    /** The rules this watcher installed or adopted (present with its key already) and will remove. */
    public synchronized List<AuditRule> installedRules() {
        return List.copyOf(installed);
    }

    /** Stops reading, writes what is still queued (and flood summaries), removes the rules it installed. */
    @Override
    public synchronized void close() {
        boolean wasRunning = running;
        running = false;
        if (prober != null) {
            prober.interrupt();
        }
        if (source != null) {
            try {
                source.close();
            } catch (IOException e) {
                // closing wakes the reader; nothing else to do
            }
        }
        join(reader, 2000);
        join(worker, 5000);
        dropUnwritten();
        join(prober, 1000);
        if (lossWatch != null) {
            lossWatch.interrupt();
            join(lossWatch, 1000);
            losses.close();
        }
        if (probe != null) {
            probe.close();
        }
        removeRules();
        if (wasRunning) {
            log.accept("stopped");
        }
    }

    /**
     * Failures the worker could not explain within the shutdown grace period are taken off its queue (so it cannot
     * write them afterwards) and counted as dropped: a stop never loses events silently.
     */
    private void dropUnwritten() {
        if (worker == null || !worker.isAlive()) {
            return;
        }
        List<AuditEvent> left = new java.util.ArrayList<>();
        queue.drainTo(left);
        for (int i = 0; i < left.size(); i++) {
            metrics.eventDropped();
        }
        if (!left.isEmpty()) {
            log.accept("stopping: " + left.size() + " failed execs still queued were not written (counted as dropped)");
        }
    }

    private void installRules() throws WatchException {
        try (AuditClient client = AuditClient.open()) {
            AuditStatus status = client.status();
            if (!status.isEnabled()) {
                client.setEnabled(true);
                log.accept("auditing was disabled; enabled it (auditctl -e 1)");
            }
            int adopted = 0;
            for (AuditRule rule : AuditRules.execFailures(AuditRules.DEFAULT_ERRNOS, settings.ruleKey())) {
                // A rule already present with our key was left by a watch that could not clean up (SIGKILL,
                // OOM kill): adopting it is the only way it is ever removed.
                adopted += client.addRule(rule) ? 0 : 1;
                synchronized (this) {
                    installed.add(rule);
                }
            }
            log.accept("installed " + (installed.size() - adopted) + " audit rules for failed execs ("
                    + String.join(", ", AuditRules.DEFAULT_ERRNOS) + ", b64 and b32) with key " + settings.ruleKey()
                    + (adopted > 0 ? "; adopted " + adopted + " present already with this key (left by an earlier"
                            + " watch), removed on exit with the others" : ""));
        } catch (IOException e) {
            removeRules();
            throw new WatchException("cannot install the audit rules: " + e.getMessage(), EXIT_AUDIT, e);
        }
    }

    /** Removes exactly the rules with this watcher's key it installed or adopted; safe to call twice. */
    private synchronized void removeRules() {
        if (installed.isEmpty()) {
            return;
        }
        try (AuditClient client = AuditClient.open()) {
            for (AuditRule rule : new ArrayList<>(installed)) {
                client.deleteRule(rule);
                installed.remove(rule);
            }
            log.accept("removed the audit rules it installed");
        } catch (IOException e) {
            log.accept("could not remove " + installed.size() + " audit rules with key " + settings.ruleKey() + ": "
                    + e.getMessage() + " (remove them with auditctl -D -k " + settings.ruleKey() + ")");
        }
    }

    private void reportCoverage() {
        try (AuditClient client = AuditClient.open()) {
            AuditStatus status = client.status();
            String coverage = ExecRuleCoverage.of(client.listRules()).describe();
            log.accept(coverage + (status.isEnabled() ? "" : "; auditing is disabled (enabled 0), so no records"
                    + " flow until it is enabled"));
        } catch (IOException e) {
            log.accept("cannot list the installed audit rules, so it is unknown which failed execs watch will see: "
                    + e.getMessage());
        }
    }

    private AuditRecordSource openSource() throws WatchException {
        if (settings.auditLog().isPresent()) {
            Path log = settings.auditLog().get();
            try {
                return new LogFileRecordSource(log, settings.fromStart());
            } catch (IOException e) {
                removeRules();
                throw new WatchException("cannot read " + log + ": " + e.getMessage(), EXIT_SOURCE, e);
            }
        }
        try {
            return new NetlinkRecordSource(AuditMulticastReader.open(settings.receiveBufferBytes()));
        } catch (AuditException e) {
            removeRules();
            throw new WatchException("cannot read the audit stream: " + e.getMessage(), EXIT_AUDIT, e);
        }
    }

    private void enqueue(AuditEvent e) {
        if (!queue.offer(e)) {
            metrics.eventDropped();
        }
    }

    private void onRecord(AuditRecord r) {
        metrics.recordReceived();
        reassembler.push(r, System.nanoTime());
    }

    private void readLoop() {
        long lastExpire = System.nanoTime();
        while (running) {
            try {
                source.poll(Duration.ofMillis(100), this::onRecord, metrics::recordMalformed);
            } catch (IOException e) {
                if (running) {
                    sourceFailure = e;
                    log.accept("reading " + source.describe() + " failed: " + e.getMessage());
                    sleepQuietly(1000);
                }
            }
            long now = System.nanoTime();
            if (now - lastExpire > TimeUnit.MILLISECONDS.toNanos(50)) {
                reassembler.expire(now);
                stats = reassembler.stats();
                lastExpire = now;
            }
        }
        reassembler.flush();
        stats = reassembler.stats();
    }

    private void workLoop() {
        long lastTick = System.currentTimeMillis();
        while (running || !queue.isEmpty() || reader.isAlive()) {
            try {
                AuditEvent e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    pipeline.accept(e);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException ex) {
                log.accept("explaining a failed exec went wrong, the event is lost: " + ex);
                metrics.eventDropped();
            }
            long now = System.currentTimeMillis();
            if (now - lastTick >= 1000) {
                pipeline.tick(now);
                lastTick = now;
            }
        }
        pipeline.flush();
    }

    /** Watch's loss counters as they are now (the kernel's comes from the monitor itself). */
    private LossMonitor.Losses losses() {
        ReassemblyStats s = stats;
        return new LossMonitor.Losses(0, source.socketOverflows(), source.socketDroppedRecords(), s.lostEvents(),
                s.incompleteEvents(), metrics.droppedCount(), source.rotationLosses());
    }

    private void lossLoop() {
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            losses.sample(System.currentTimeMillis());
        }
    }

    private void probeLoop() {
        while (running && !ready) {
            probe.trigger();
            try {
                if (probe.await(settings.readyTimeout())) {
                    ready = true;
                    notReady = "";
                    log.accept("ready: a failed exec of its own came back through " + source.describe());
                    return;
                }
                notReady = whyNotReady();
                log.accept("not ready: " + notReady + "; trying again in " + RETRY_PROBE.toSeconds() + " s");
                Thread.sleep(RETRY_PROBE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Names the missing link when the probe did not come back. */
    private String whyNotReady() {
        long secs = settings.readyTimeout().toSeconds();
        if (settings.auditLog().isPresent()) {
            return "its own failed exec did not appear in " + source.describe() + " within " + secs + " s: check that"
                    + " auditd is running and writing there, and that a rule reports failed execs with ENOEXEC";
        }
        AuditPreconditions pre = AuditPreconditions.ofThisProcess();
        if (!pre.hasCapability(37)) {
            return "no CAP_AUDIT_READ: the kernel does not send audit records to this process";
        }
        if (pre.inInitialNetworkNamespace().equals(Optional.of(false))) {
            return "not in the host network namespace: the kernel multicasts audit records only there (use"
                    + " hostNetwork: true, or --audit-log with the host's audit.log mounted)";
        }
        try (AuditClient client = AuditClient.open()) {
            AuditStatus status = client.status();
            if (!status.isEnabled()) {
                return "auditing is disabled (enabled 0): run auditctl -e 1, or start watch with --install-rules";
            }
            ExecRuleCoverage coverage = ExecRuleCoverage.of(client.listRules());
            if (!coverage.covers("ENOEXEC")) {
                return "no audit rule reports failed execs with ENOEXEC: " + coverage.describe();
            }
            return "its own failed exec did not come back within " + secs + " s although auditing is on and a rule"
                    + " covers it (kernel lost counter " + status.lost() + ", socket overflows "
                    + source.socketOverflows() + ")";
        } catch (IOException e) {
            return "its own failed exec did not come back within " + secs + " s, and the audit status cannot be"
                    + " read to say why: " + e.getMessage();
        }
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t, long millis) {
        if (t == null) {
            return;
        }
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
