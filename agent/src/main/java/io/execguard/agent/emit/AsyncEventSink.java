package io.execguard.agent.emit;

import io.execguard.agent.install.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded queue in front of a {@link ReportWriter}, drained by one daemon thread: the thread attempting the exec
 * only offers its report, and a full queue drops it and counts the drop instead of waiting. A shutdown hook drains
 * what is left, so that an application that exits right after a failed exec still gets its event.
 */
public final class AsyncEventSink implements EventSink {
    private static final int CAPACITY = 4096;
    private static final long DRAIN_ON_EXIT_MILLIS = 2000;

    private final BlockingQueue<ExecReport> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    /** Reports offered and not yet written. */
    private final AtomicLong pending = new AtomicLong();
    private final ReportWriter writer;
    private final Thread thread;

    private AsyncEventSink(ReportWriter writer) {
        this.writer = writer;
        this.thread = new Thread(this::run, "execguard-events");
        thread.setDaemon(true);
    }

    /** Starts the writer thread and registers the drain at exit. */
    public static AsyncEventSink start(ReportWriter writer) {
        AsyncEventSink sink = new AsyncEventSink(writer);
        sink.thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(sink::drainAtExit, "execguard-events-drain"));
        return sink;
    }

    @Override
    public void emit(ExecReport report) {
        pending.incrementAndGet();
        if (!queue.offer(report)) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    @Override
    public long dropped() {
        return dropped.get() + writer.failed();
    }

    private void run() {
        List<ExecReport> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                for (ExecReport r : batch) {
                    writer.write(r);
                }
                writer.flush();
                pending.addAndGet(-batch.size());
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            AgentLog.warn("event writer stopped (" + t + ")");
        }
    }

    /** Gives the writer thread a bounded time to write what is queued or in its hands. */
    private void drainAtExit() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_ON_EXIT_MILLIS);
        while (pending.get() > 0 && thread.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
