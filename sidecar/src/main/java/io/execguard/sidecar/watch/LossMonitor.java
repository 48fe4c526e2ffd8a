package io.execguard.sidecar.watch;

import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.sidecar.audit.netlink.AuditStatus;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps watch honest about what it did not see: samples the kernel's audit {@code lost} counter (the only trace of
 * records the kernel drops before any reader gets them - its backlog was full, or the rate limit hit) and, with the
 * counters watch keeps itself, writes one log line whenever something was lost, at most every
 * {@link #LOG_EVERY_MILLIS} ms, and a last one at {@link #close()}. The kernel's counter is host-wide and counts
 * from boot: watch reports how much it grew since watch started, and cannot tell whose records they were.
 * {@link #sample()} is called by one thread; the totals may be read from any.
 */
final class LossMonitor implements AutoCloseable {
    /** How often losses are logged at most while they keep happening: a flood of one line per second helps nobody. */
    static final long LOG_EVERY_MILLIS = 10_000;

    private final Optional<AuditClient> client;
    private final Supplier<Losses> counters;
    private final Consumer<String> log;
    private long lastKernel;
    private volatile long kernelLost;
    private Losses logged = Losses.NONE;
    private long loggedAt;

    private LossMonitor(Optional<AuditClient> client, long kernelBaseline, Supplier<Losses> counters,
            Consumer<String> log) {
        this.client = client;
        this.lastKernel = kernelBaseline;
        this.counters = counters;
        this.log = log;
    }

    /**
     * Starts from the kernel's counter as it is now. Reading it needs CAP_AUDIT_CONTROL (AUDIT_GET); without it, or
     * for an audit log source, the kernel's losses cannot be known and the log says so once.
     *
     * @param counters watch's own loss counters except {@code kernelLost}, read at each sample
     */
    static LossMonitor start(boolean readKernel, Supplier<Losses> counters, Consumer<String> log) {
        if (!readKernel) {
            return new LossMonitor(Optional.empty(), 0, counters, log);
        }
        AuditClient client = null;
        try {
            client = AuditClient.open();
            long baseline = client.status().lost();
            return new LossMonitor(Optional.of(client), baseline, counters, log);
        } catch (IOException e) {
            if (client != null) {
                client.close();
            }
            log.accept("cannot read the kernel's audit lost counter, so records the kernel drops (full backlog,"
                    + " rate limit) will not show in execguard_audit_kernel_lost_total: " + e.getMessage());
            return new LossMonitor(Optional.empty(), 0, counters, log);
        }
    }

    /** Records the kernel lost since watch started (host-wide), as of the last sample. */
    long kernelLost() {
        return kernelLost;
    }

    /** Reads the kernel's counter and logs what was lost since the last line, if anything and if it is time. */
    void sample(long nowMillis) {
        readKernel();
        Losses now = counters.get().withKernelLost(kernelLost);
        if (!now.equals(logged) && (loggedAt == 0 || nowMillis - loggedAt >= LOG_EVERY_MILLIS)) {
            report(now, nowMillis);
        }
    }

    /** A last sample, and a last line for losses not logged yet. */
    @Override
    public void close() {
        readKernel();
        Losses now = counters.get().withKernelLost(kernelLost);
        if (!now.equals(logged)) {
            report(now, System.currentTimeMillis());
        }
        client.ifPresent(AuditClient::close);
    }

    private void report(Losses now, long nowMillis) {
        log.accept("lost since " + (loggedAt == 0 ? "start" : "the last report") + ": " + now.minus(logged).describe()
                + " (totals on /metrics)");
        logged = now;
        loggedAt = nowMillis;
    }

    private void readKernel() {
        if (client.isEmpty()) {
            return;
        }
        try {
            AuditStatus status = client.get().status();
            long lost = status.lost();
            kernelLost += growth(lastKernel, lost);
            lastKernel = lost;
        } catch (IOException e) {
            // A failed status read loses nothing: the next sample sees the whole difference.
        }
    }

    /**
     * How much the kernel's counter grew from {@code last} to {@code now}. It is an unsigned 32-bit number that
     * {@code auditctl --reset-lost} sets back to 0: a value below the last one means it was reset (or wrapped), and
     * everything it shows now is new.
     */
    static long growth(long last, long now) {
        return now >= last ? now - last : now;
    }

    /**
     * One reading of every loss counter; each counts from watch's start.
     *
     * @param kernelLost records the kernel's audit subsystem dropped, host-wide (full backlog, rate limit)
     * @param socketOverflows times the kernel reported ENOBUFS to watch's socket
     * @param socketDropped records the kernel discarded because watch's socket buffer was full
     * @param gaps audit events whose serial number never arrived
     * @param incomplete events delivered without their end record (some of their records were lost)
     * @param dropped failures watch itself dropped (full queue, failing output)
     * @param logLosses rotations of an audit log after which lines may be missing
     */
    record Losses(long kernelLost, long socketOverflows, long socketDropped, long gaps, long incomplete,
            long dropped, long logLosses) {
        static final Losses NONE = new Losses(0, 0, 0, 0, 0, 0, 0);

        Losses withKernelLost(long n) {
            return new Losses(n, socketOverflows, socketDropped, gaps, incomplete, dropped, logLosses);
        }

        Losses minus(Losses o) {
            return new Losses(kernelLost - o.kernelLost, socketOverflows - o.socketOverflows,
                    socketDropped - o.socketDropped, gaps - o.gaps, incomplete - o.incomplete, dropped - o.dropped,
                    logLosses - o.logLosses);
        }

        /** The non-zero counters in words, e.g. {@code 895 records dropped by the kernel (host-wide)}. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            part(sb, kernelLost, "records dropped by the kernel (audit backlog full or rate limit; host-wide)");
            part(sb, socketDropped, "records dropped at watch's socket (receive buffer full, " + socketOverflows
                    + (socketOverflows == 1 ? " overflow)" : " overflows)"));
            if (socketDropped == 0) {
                part(sb, socketOverflows, "socket overflows");
            }
            part(sb, gaps, "audit events missing (serial gaps)");
            part(sb, incomplete, "events incomplete (records missing)");
            part(sb, dropped, "failed execs dropped by watch (queue full or output failing)");
            part(sb, logLosses, "log rotations after which lines may be missing");
            return sb.length() == 0 ? "nothing" : sb.toString();
        }

        private static void part(StringBuilder sb, long n, String what) {
            if (n != 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(what);
            }
        }
    }
}
