package io.execguard.core.event.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.event.EventAction;
import io.execguard.core.event.EventDataset;
import io.execguard.core.event.EventSchemaValidator;
import io.execguard.core.event.ExampleEvents;
import io.execguard.core.event.ExecEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class EventPipelineTest {
    @Test
    void writesEveryEventAsOneSchemaValidLineInOrder() {
        EventSchemaValidator.CollectingSink sink = EventSchemaValidator.sink();
        EventPipeline pipeline = EventPipeline.builder().sink(sink).start();
        List<ExecEvent> events = ExampleEvents.all();
        events.forEach(pipeline::offer);
        assertTrue(pipeline.close(Duration.ofSeconds(10)));
        List<String> lines = sink.lines();
        assertEquals(events.size(), lines.size());
        for (int i = 0; i < events.size(); i++) {
            assertTrue(lines.get(i).contains(events.get(i).id()), "order kept");
            assertFalse(lines.get(i).contains("\n"), "one line per event");
        }
        sink.assertAllValid();
        assertEquals(new PipelineStats(events.size(), events.size(), 0).toString(), pipeline.stats().toString());
    }

    @Test
    void sinkFailuresAreCountedAsDroppedAndTheWriterCarriesOn() {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        int[] calls = {0};
        EventPipeline pipeline = EventPipeline.builder().sink(line -> {
            if (calls[0]++ % 2 == 0) {
                throw new java.io.IOException("disk full");
            }
            written.add(line);
        }).start();
        for (int i = 0; i < 10; i++) {
            pipeline.offer(ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.SIDECAR));
        }
        pipeline.close(Duration.ofSeconds(10));
        assertEquals(5, written.size());
        assertEquals(5, pipeline.droppedCount());
    }

    @Test
    void offersAfterCloseAreDroppedAndCounted() {
        EventPipeline pipeline = EventPipeline.builder().sink(line -> { }).start();
        pipeline.close();
        assertFalse(pipeline.offer(ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT)));
        assertEquals(1, pipeline.droppedCount());
        pipeline.close(); // idempotent
        assertEquals(new PipelineStats(1, 0, 1).toString(), pipeline.stats().toString());
    }

    @Test
    void dropsAreReportedOncePerIntervalAndAtClose() throws Exception {
        List<long[]> reports = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        EventPipeline pipeline = EventPipeline.builder().capacity(1).reportInterval(Duration.ofHours(1))
                .dropReporter((delta, total) -> reports.add(new long[] {delta, total}))
                .sink(line -> release.await()).start();
        ExecEvent e = ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT);
        for (int i = 0; i < 10; i++) {
            pipeline.offer(e);
        }
        Thread.sleep(100);
        assertTrue(reports.isEmpty(), "nothing reported before the interval has passed");
        release.countDown();
        pipeline.close(Duration.ofSeconds(10));
        assertEquals(1, reports.size(), "one report at close");
        long dropped = pipeline.droppedCount();
        assertTrue(dropped >= 8, "capacity 1 with a stuck sink: " + dropped);
        assertEquals(dropped, reports.get(0)[0]);
        assertEquals(dropped, reports.get(0)[1]);
    }

    @Test
    void theWriterIsADaemonThread() {
        EventPipeline pipeline = EventPipeline.builder().sink(line -> { }).threadName("execguard-events-test").start();
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("execguard-events-test")).findFirst().orElseThrow();
        assertTrue(writer.isDaemon());
        pipeline.close();
    }

    /**
     * With an overflow wait, producers that find the queue full wait for room instead of dropping: many producers
     * against a capacity of 2 and a slow sink lose nothing, and the producers did wait (they were seen parked).
     */
    @Test
    void anOverflowWaitSlowsProducersDownInsteadOfDroppingTheirEvents() throws Exception {
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        EventPipeline pipeline = EventPipeline.builder().capacity(2).overflowWait(Duration.ofSeconds(30))
                .sink(line -> {
                    Thread.sleep(1);
                    written.add(line);
                }).start();
        int producers = 8;
        int each = 50;
        List<Thread> threads = new ArrayList<>();
        boolean[] allQueued = {true};
        for (int p = 0; p < producers; p++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    if (!pipeline.offer(ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT))) {
                        allQueued[0] = false;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        boolean sawAWaitingProducer = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                sawAWaitingProducer |= t.getState() == Thread.State.TIMED_WAITING;
                Thread.onSpinWait();
            }
        }
        assertTrue(pipeline.close(Duration.ofSeconds(30)));
        assertTrue(allQueued[0], "every offer was queued");
        assertEquals(new PipelineStats(producers * each, producers * each, 0).toString(),
                pipeline.stats().toString());
        assertEquals(producers * each, written.size());
        assertTrue(sawAWaitingProducer, "producers waited for room rather than dropping");
    }

    @Test
    void theOverflowWaitIsBoundedAndEndsAtClose() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecEvent e = ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT);

        EventPipeline bounded = fullBehindAStuckSink(Duration.ofMillis(50), release, e);
        assertFalse(bounded.offer(e), "the output is stuck: the wait ends and the event is dropped");
        assertEquals(1, bounded.droppedCount());

        EventPipeline closing = fullBehindAStuckSink(Duration.ofHours(1), release, e);
        boolean[] queued = {true};
        Thread waiting = new Thread(() -> queued[0] = closing.offer(e));
        waiting.start();
        while (waiting.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        closing.close(Duration.ofMillis(10));
        waiting.join(10_000);
        assertFalse(waiting.isAlive(), "close ends the wait");
        assertFalse(queued[0], "and the event is dropped");
        release.countDown();
        bounded.close(Duration.ofSeconds(10));
    }

    /** A pipeline of capacity 1 whose writer hangs in the sink with one event while a second fills the queue. */
    private static EventPipeline fullBehindAStuckSink(Duration overflowWait, CountDownLatch release, ExecEvent e)
            throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        EventPipeline p = EventPipeline.builder().capacity(1).overflowWait(overflowWait).sink(line -> {
            entered.countDown();
            release.await();
        }).start();
        assertTrue(p.offer(e));
        entered.await();
        assertTrue(p.offer(e));
        return p;
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventPipeline.builder().overflowWait(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> EventPipeline.builder().capacity(0));
        assertThrows(IllegalArgumentException.class, () -> EventPipeline.builder().reportInterval(Duration.ZERO));
    }
}
