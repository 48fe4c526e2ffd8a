package io.execguard.sidecar.watch;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The numbers that say whether watch sees everything: failures reported (by cause and errno), records received,
 * records the kernel lost (host-wide), records lost at watch's socket, events lost between kernel and reassembly
 * (serial gaps) or cut short (incomplete), rotations of a followed log that may have lost lines, events dropped by
 * a full queue, identical failures summarised instead of emitted, failures left out on purpose (ENOENT of missing
 * files, other pods), and - in pod scope - failures that could not be attributed to this pod or another because a
 * pod process's root could not be opened. Counters are safe to update from any thread.
 */
public final class WatchMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter failures;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong unattributed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile LongSupplier kernelLost = () -> 0;
    private volatile LongSupplier socketOverflows = () -> 0;
    private volatile LongSupplier socketDropped = () -> 0;
    private volatile LongSupplier gaps = () -> 0;
    private volatile LongSupplier incomplete = () -> 0;
    private volatile LongSupplier rotationLosses = () -> 0;
    private volatile LongSupplier suppressed = () -> 0;
    private volatile LongSupplier queued = () -> 0;
    private volatile LongSupplier pipelineDropped = () -> 0;

    public WatchMetrics() {
        failures = Counter.builder().name("execguard_exec_failures_total")
                .help("Failed execs reported, by diagnosed cause and errno").labelNames("cause", "errno")
                .register(registry);
        counter("execguard_audit_records_total", "Audit records received", records::get);
        counter("execguard_audit_records_malformed_total", "Records that could not be parsed and were skipped",
                malformed::get);
        counter("execguard_audit_kernel_lost_total", "Records the kernel's audit subsystem dropped since watch"
                + " started (backlog full, rate limit): its host-wide lost counter, not only watch's records",
                () -> kernelLost.getAsLong());
        counter("execguard_audit_socket_overflows_total",
                "Times the kernel reported that watch's audit socket overflowed (ENOBUFS)",
                () -> socketOverflows.getAsLong());
        counter("execguard_audit_socket_dropped_records_total",
                "Records the kernel discarded because watch's socket receive buffer was full",
                () -> socketDropped.getAsLong());
        counter("execguard_audit_reassembly_gaps_total", "Audit events that never arrived (serial gaps)",
                () -> gaps.getAsLong());
        counter("execguard_audit_incomplete_events_total",
                "Audit events delivered without their end record (some of their records never arrived)",
                () -> incomplete.getAsLong());
        counter("execguard_audit_log_rotation_losses_total",
                "Rotations of the followed audit log after which lines may be missing",
                () -> rotationLosses.getAsLong());
        counter("execguard_events_dropped_total",
                "Failures dropped because a queue was full or the output failed", () -> dropped.get()
                        + pipelineDropped.getAsLong());
        counter("execguard_duplicates_suppressed_total",
                "Identical failures counted into a summary instead of emitted one by one", () -> suppressed.getAsLong());
        counter("execguard_exec_failures_ignored_total",
                "Failures left out on purpose: ENOENT for files that do not exist, other pods' files", ignored::get);
        counter("execguard_exec_failures_unattributed_total",
                "Pod scope: failures not written because a pod process's root could not be opened, so it is unknown"
                        + " whether the file is this pod's or another pod's", unattributed::get);
        GaugeWithCallback.builder().name("execguard_watch_queued_events")
                .help("Failed-exec events waiting to be explained").callback(c -> c.call(queued.getAsLong()))
                .register(registry);
    }

    private void counter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(c -> c.call(value.getAsLong()))
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void failureReported(String cause, String errno) {
        failures.labelValues(cause, errno).inc();
    }

    public void recordReceived() {
        records.incrementAndGet();
    }

    public void recordMalformed() {
        malformed.incrementAndGet();
    }

    public void eventDropped() {
        dropped.incrementAndGet();
    }

    public void failureIgnored() {
        ignored.incrementAndGet();
    }

    /** A failure that pod scope could neither claim nor rule out (a pod process's root could not be opened). */
    public void failureUnattributed() {
        unattributed.incrementAndGet();
    }

    public long droppedCount() {
        return dropped.get() + pipelineDropped.getAsLong();
    }

    public long recordCount() {
        return records.get();
    }

    public void kernelLost(LongSupplier s) {
        kernelLost = s;
    }

    public void socketOverflows(LongSupplier s) {
        socketOverflows = s;
    }

    public void socketDropped(LongSupplier s) {
        socketDropped = s;
    }

    public void incomplete(LongSupplier s) {
        incomplete = s;
    }

    public void rotationLosses(LongSupplier s) {
        rotationLosses = s;
    }

    public void gaps(LongSupplier s) {
        gaps = s;
    }

    public void suppressed(LongSupplier s) {
        suppressed = s;
    }

    public void queued(LongSupplier s) {
        queued = s;
    }

    /** Events the output pipeline dropped (full queue, failing sink), added to the dropped counter. */
    public void pipelineDropped(LongSupplier s) {
        pipelineDropped = s;
    }
}
