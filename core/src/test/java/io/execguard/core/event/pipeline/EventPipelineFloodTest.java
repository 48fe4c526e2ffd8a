package io.execguard.core.event.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.event.EventAction;
import io.execguard.core.event.EventDataset;
import io.execguard.core.event.EventSchemaValidator;
import io.execguard.core.event.ExampleEvents;
import io.execguard.core.event.ExecEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 32 threads offer events as fast as they can while the sink is slow and holds a lock for every line. The
 * producers must never block or wait - checked structurally with the JVM's own per-thread counters of monitor
 * blocks and waits/parks - and every event must be written or counted as dropped, exactly.
 */
class EventPipelineFloodTest {
    private static final int PRODUCERS = 32;
    private static final int EVENTS_PER_PRODUCER = 3_000;

    @Test
    void producersAreNeverBlockedAndEveryEventIsWrittenOrCountedAsDropped() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        mx.setThreadContentionMonitoringEnabled(true);
        Object sinkLock = new Object();
        AtomicLong sinkLines = new AtomicLong();
        List<String> sample = new ArrayList<>();
        EventSink slowSink = line -> {
            synchronized (sinkLock) { // a lock the producers would hit if offer ever waited for the sink
                if (sample.size() < 20) {
                    sample.add(line);
                }
                sinkLines.incrementAndGet();
                Thread.sleep(0, 200_000);
            }
        };
        AtomicLong reported = new AtomicLong();
        EventPipeline pipeline = EventPipeline.builder().capacity(512).sink(slowSink)
                .reportInterval(Duration.ofMillis(50)).dropReporter((delta, total) -> reported.addAndGet(delta))
                .start();

        ExecEvent[] events = prebuiltEvents();
        CyclicBarrier start = new CyclicBarrier(PRODUCERS);
        long[][] perThread = new long[PRODUCERS][];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < PRODUCERS; t++) {
            int index = t;
            Thread thread = new Thread(() -> perThread[index] = produce(pipeline, events, start, mx),
                    "producer-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(pipeline.close(Duration.ofSeconds(60)), "queue not drained within 60 s");

        long blocked = 0;
        long waited = 0;
        long maxOfferNanos = 0;
        long accepted = 0;
        for (long[] r : perThread) {
            blocked += r[0];
            waited += r[1];
            maxOfferNanos = Math.max(maxOfferNanos, r[2]);
            accepted += r[3];
        }
        PipelineStats stats = pipeline.stats();
        System.out.printf("flood: %s, producer blocks=%d waits=%d, max offer %.3f ms%n",
                stats, blocked, waited, maxOfferNanos / 1e6);

        assertEquals(0, blocked, "a producer blocked on a monitor inside offer()");
        assertEquals(0, waited, "a producer waited or parked inside offer()");
        long offered = (long) PRODUCERS * (EVENTS_PER_PRODUCER + 1);
        assertEquals(offered, stats.offered());
        assertEquals(offered, stats.written() + stats.dropped(), "every event written or counted as dropped");
        assertEquals(0, stats.pending());
        assertEquals(sinkLines.get(), stats.written(), "written counts what the sink received");
        assertEquals(accepted, stats.written(), "every accepted event reached the sink after close");
        assertTrue(stats.dropped() > 0, "a slow sink under a flood must drop: " + stats);
        assertEquals(stats.dropped(), pipeline.droppedCount());
        assertEquals(stats.dropped(), reported.get(), "every drop was reported");
        for (String line : sample) {
            EventSchemaValidator.assertValid(line);
        }
    }

    /** Returns {monitor blocks, waits, max offer nanos, accepted} measured around the offer loop only. */
    private static long[] produce(EventPipeline pipeline, ExecEvent[] events, CyclicBarrier start, ThreadMXBean mx) {
        long id = Thread.currentThread().getId();
        // Warm-up: class loading and initialisation happen outside the measured window.
        long accepted = pipeline.offer(events[0]) ? 1 : 0;
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ThreadInfo before = mx.getThreadInfo(id);
        long max = 0;
        for (int i = 0; i < EVENTS_PER_PRODUCER; i++) {
            long t0 = System.nanoTime();
            boolean ok = pipeline.offer(events[i % events.length]);
            max = Math.max(max, System.nanoTime() - t0);
            accepted += ok ? 1 : 0;
        }
        ThreadInfo after = mx.getThreadInfo(id);
        return new long[] {after.getBlockedCount() - before.getBlockedCount(),
                after.getWaitedCount() - before.getWaitedCount(), max, accepted};
    }

    private static ExecEvent[] prebuiltEvents() {
        List<ExecEvent> all = new ArrayList<>(ExampleEvents.all());
        all.add(ExampleEvents.minimal(EventAction.EXEC_SHELL_FALLBACK, EventDataset.AGENT));
        return all.toArray(new ExecEvent[0]);
    }

    @Test
    void aStuckSinkNeverBlocksTheProducer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inSink = new CountDownLatch(1);
        EventPipeline pipeline = EventPipeline.builder().capacity(100).sink(line -> {
            inSink.countDown();
            release.await();
        }).start();
        ExecEvent event = ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT);
        pipeline.offer(event);
        inSink.await();
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            accepted += pipeline.offer(event) ? 1 : 0;
        }
        assertEquals(100, accepted, "exactly the queue's capacity fits while the sink is stuck");
        assertEquals(10_000 - 100, pipeline.droppedCount());

        assertTrue(!pipeline.close(Duration.ofMillis(100)), "close must give up on a stuck sink");
        assertEquals(10_000 - 100 + 100, pipeline.droppedCount(), "queued events count as dropped at close");
        release.countDown();
        for (int i = 0; i < 500 && pipeline.stats().pending() > 0; i++) {
            Thread.sleep(10);
        }
        PipelineStats stats = pipeline.stats();
        assertEquals(10_001, stats.offered());
        assertEquals(1, stats.written(), "the event the sink held was written when it returned");
        assertEquals(0, stats.pending());
    }
}
