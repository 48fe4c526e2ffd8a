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

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventPipeline.builder().capacity(0));
        assertThrows(IllegalArgumentException.class, () -> EventPipeline.builder().reportInterval(Duration.ZERO));
    }
}
