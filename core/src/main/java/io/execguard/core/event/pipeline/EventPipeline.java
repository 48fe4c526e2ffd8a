package io.execguard.core.event.pipeline;

import io.execguard.core.event.EventJsonWriter;
import io.execguard.core.event.ExecEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries events from the threads that see execs to a sink without ever making those threads wait. A bounded
 * queue sits between them and one daemon writer thread that serialises each event ({@link EventJsonWriter},
 * which also redacts) and hands the line to the {@link EventSink}.
 *
 * <p>{@link #offer} is lock-free: a counter reserves a slot (compare-and-set), a
 * {@link ConcurrentLinkedQueue} takes the event, and the writer is woken with {@link LockSupport#unpark} only if
 * it sleeps. No monitor or {@code java.util.concurrent} lock is ever taken on the producing thread, so a slow or
 * stuck sink cannot block it: when the queue is full the event is dropped and counted - at once by default, or
 * after waiting up to {@link Builder#overflowWait} for room, for a producer that would rather be slowed down than
 * lose events while the writer catches up (the only case in which {@code offer} waits). Every offered event is
 * eventually either written or counted as dropped ({@link #stats()}); drops are reported to a
 * {@link DropReporter} once per interval, by default a WARN on logger {@value #LOGGER_NAME}.
 */
public final class EventPipeline implements AutoCloseable {
    /** The logger of the default {@link DropReporter} and of pipeline failures. */
    public static final String LOGGER_NAME = "execguard.pipeline";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    /** The longest the idle writer sleeps before it looks at the clock for drop reports. */
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int capacity;
    private final EventSink sink;
    private final EventJsonWriter writer;
    private final UnaryOperator<ExecEvent> enricher;
    private final DropReporter dropReporter;
    private final long reportIntervalNanos;
    private final Duration closeTimeout;
    private final long overflowWaitNanos;

    private final ConcurrentLinkedQueue<ExecEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder offered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;

    /** Producers waiting for room ({@link Builder#overflowWait}); the writer signals {@link #room} only then. */
    private final Object room = new Object();
    private volatile int waitingForRoom;
    private volatile boolean writerIdle;
    private volatile boolean closed;
    private volatile boolean terminated;

    // Drop-report state: the writer thread's, and the closing thread's once; never touched by producers.
    private final Object reportLock = new Object();
    private long lastReportNanos;
    private long reportedDrops;

    private EventPipeline(Builder b) {
        this.capacity = b.capacity;
        this.sink = b.sink != null ? b.sink : new Slf4jEventSink();
        this.writer = b.writer;
        this.enricher = b.enricher;
        this.dropReporter = b.dropReporter;
        this.reportIntervalNanos = b.reportInterval.toNanos();
        this.closeTimeout = b.closeTimeout;
        this.overflowWaitNanos = b.overflowWait.toNanos();
        this.thread = new Thread(this::run, b.threadName);
        this.thread.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Queues {@code event} for writing, or drops and counts it when the queue is full or the pipeline closed. With
     * the default {@link Builder#overflowWait} of zero it never blocks; otherwise an offer into a full queue waits
     * up to that long for the writer to make room. Never throws for a full queue.
     *
     * @return true if queued, false if dropped
     */
    public boolean offer(ExecEvent event) {
        Objects.requireNonNull(event, "event");
        offered.increment();
        if (closed || !reserveSlot() && (overflowWaitNanos == 0 || !awaitSlot())) {
            dropped.increment();
            return false;
        }
        queue.offer(event);
        if (terminated && queue.remove(event)) {
            // Raced with close(): its final drain may already have run, so this event is ours to count.
            queued.decrementAndGet();
            dropped.increment();
            return false;
        }
        if (writerIdle) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    private boolean reserveSlot() {
        while (true) {
            int n = queued.get();
            if (n >= capacity) {
                return false;
            }
            if (queued.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Waits, up to the overflow wait, until a slot is reserved; false when the time is up or the pipeline closed. */
    private boolean awaitSlot() {
        long deadline = System.nanoTime() + overflowWaitNanos;
        synchronized (room) {
            waitingForRoom++;
            try {
                while (!closed) {
                    if (reserveSlot()) {
                        return true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    // Timed: the writer signals once per event it takes, and a producer that did not wait may
                    // take the slot first; waking now and then also bounds a missed signal.
                    room.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 10)));
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waitingForRoom--;
            }
        }
    }

    private void signalRoom(boolean all) {
        if (waitingForRoom > 0) {
            synchronized (room) {
                if (all) {
                    room.notifyAll();
                } else {
                    room.notify();
                }
            }
        }
    }

    /** Events dropped so far (queue full, closed, sink failure): the metric agent and sidecar expose. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** A snapshot of the counters. */
    public PipelineStats stats() {
        // Offered is counted before written or dropped, so reading it last keeps pending() from going negative.
        long w = written.get();
        long d = dropped.sum();
        long o = offered.sum();
        return new PipelineStats(o, w, d);
    }

    /** The queue bound. */
    public int capacity() {
        return capacity;
    }

    /** Stops accepting events and waits up to the configured close timeout for queued ones to be written. */
    @Override
    public void close() {
        close(closeTimeout);
    }

    /**
     * Stops accepting events, waits up to {@code timeout} for the queued ones to be written and flushed, then
     * counts whatever is still queued as dropped. Safe to call more than once and from a shutdown hook.
     *
     * @return true if the writer finished (every queued event written, flushed, or counted as failed) within the
     *     timeout; false if it was still busy, e.g. with a sink that hangs
     */
    public boolean close(Duration timeout) {
        closed = true;
        signalRoom(true);
        LockSupport.unpark(thread);
        boolean finished = join(timeout);
        terminated = true;
        drainAsDropped();
        maybeReportDrops(true); // what the drain (or a racing producer) dropped after the writer's last report
        return finished;
    }

    /** Adds a JVM shutdown hook that closes this pipeline (bounded by the close timeout). */
    public EventPipeline closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, thread.getName() + "-shutdown"));
        return this;
    }

    private boolean join(Duration timeout) {
        if (Thread.currentThread() == thread) {
            return false;
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void drainAsDropped() {
        while (queue.poll() != null) {
            queued.decrementAndGet();
            dropped.increment();
        }
    }

    private EventPipeline start() {
        lastReportNanos = System.nanoTime();
        thread.start();
        return this;
    }

    private void run() {
        while (!terminated) {
            ExecEvent event = queue.poll();
            if (event == null) {
                flushSink();
                maybeReportDrops(false);
                if (closed) {
                    break;
                }
                idle();
                continue;
            }
            queued.decrementAndGet();
            signalRoom(false);
            writeOne(event);
            maybeReportDrops(false);
        }
        flushSink();
        maybeReportDrops(true);
    }

    /** Sleeps until a producer unparks us; the flag re-check closes the lost-wake-up window. */
    private void idle() {
        writerIdle = true;
        if (queue.isEmpty() && !closed) {
            LockSupport.parkNanos(this, Math.min(IDLE_PARK_NANOS, reportIntervalNanos));
        }
        writerIdle = false;
    }

    private void writeOne(ExecEvent offered) {
        ExecEvent event = enrich(offered);
        String line;
        try {
            line = writer.toJson(event);
        } catch (RuntimeException e) {
            dropped.increment();
            LOG.warn("execguard: cannot serialise event {}, dropped", event.id(), e);
            return;
        }
        try {
            sink.write(line);
            written.incrementAndGet();
        } catch (Exception e) {
            dropped.increment();
            LOG.debug("execguard: event sink failed, event dropped", e);
        }
    }

    /** Work that must not run on the producing thread; its failure leaves the event as it was offered. */
    private ExecEvent enrich(ExecEvent event) {
        try {
            return enricher.apply(event);
        } catch (RuntimeException e) {
            LOG.debug("execguard: event enricher failed, event written as offered", e);
            return event;
        }
    }

    private void flushSink() {
        try {
            sink.flush();
        } catch (Exception e) {
            LOG.debug("execguard: event sink flush failed", e);
        }
    }

    private void maybeReportDrops(boolean force) {
        long now = System.nanoTime();
        long delta;
        long total;
        synchronized (reportLock) {
            if (!force && now - lastReportNanos < reportIntervalNanos) {
                return;
            }
            lastReportNanos = now;
            total = dropped.sum();
            delta = total - reportedDrops;
            if (delta <= 0) {
                return;
            }
            reportedDrops = total;
        }
        try {
            dropReporter.report(delta, total);
        } catch (RuntimeException e) {
            LOG.debug("execguard: drop reporter failed", e);
        }
    }

    private static void logDrops(long delta, long total) {
        LOG.warn("execguard: dropped {} events since the last report ({} in total): the event queue was full "
                + "(the output is slower than the failures it reports) or the output failed", delta, total);
    }

    /** Configures and starts an {@link EventPipeline}. */
    public static final class Builder {
        private int capacity = 8192;
        private EventSink sink;
        private EventJsonWriter writer = EventJsonWriter.standard();
        private UnaryOperator<ExecEvent> enricher = UnaryOperator.identity();
        private DropReporter dropReporter = EventPipeline::logDrops;
        private Duration reportInterval = Duration.ofMinutes(1);
        private Duration closeTimeout = Duration.ofSeconds(2);
        private Duration overflowWait = Duration.ZERO;
        private String threadName = "execguard-events";

        private Builder() {
        }

        /** How many events may wait for the writer (default 8192); more are dropped and counted. */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** Where lines go (default {@link Slf4jEventSink}: logger {@code execguard.events}). */
        public Builder sink(EventSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public Builder writer(EventJsonWriter writer) {
            this.writer = Objects.requireNonNull(writer, "writer");
            return this;
        }

        /**
         * Completes each event on the writer thread before it is serialised (e.g. {@link
         * io.execguard.core.event.FileHashEnricher}): slow work the producing thread must not do. Default: none.
         */
        public Builder enricher(UnaryOperator<ExecEvent> enricher) {
            this.enricher = Objects.requireNonNull(enricher, "enricher");
            return this;
        }

        /** Who hears about drops (default: a WARN on {@value EventPipeline#LOGGER_NAME}). */
        public Builder dropReporter(DropReporter dropReporter) {
            this.dropReporter = Objects.requireNonNull(dropReporter, "dropReporter");
            return this;
        }

        /** How often drops are reported at most (default one minute). */
        public Builder reportInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("report interval must be positive: " + interval);
            }
            this.reportInterval = interval;
            return this;
        }

        /** How long {@link #close()} waits for queued events (default 2 seconds). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long an offer into a full queue waits for the writer to make room before it drops the event (default
         * zero: drop at once, never wait). Only the producer that finds the queue full waits, so the cost of an
         * output slower than the events falls on the threads producing them, and nothing is lost while the writer
         * catches up; a stuck output still costs each event at most this long.
         */
        public Builder overflowWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("overflow wait must not be negative: " + wait);
            }
            this.overflowWait = wait;
            return this;
        }

        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Starts the writer thread. */
        public EventPipeline start() {
            return new EventPipeline(this).start();
        }
    }
}
