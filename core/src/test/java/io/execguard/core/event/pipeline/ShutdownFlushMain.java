package io.execguard.core.event.pipeline;

import io.execguard.core.event.EventAction;
import io.execguard.core.event.EventDataset;
import io.execguard.core.event.ExampleEvents;
import io.execguard.core.event.ExecEvent;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EventPipelineShutdownTest}: offers events to a pipeline whose sink is slow, then
 * leaves main (or calls System.exit) immediately; the shutdown hook must flush what is queued.
 */
public final class ShutdownFlushMain {
    private ShutdownFlushMain() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        EventPipeline pipeline = EventPipeline.builder().sink(new EventSink() {
            @Override
            public void write(String line) throws Exception {
                Thread.sleep(2);
                writer.write(line);
                writer.write('\n');
            }

            @Override
            public void flush() throws Exception {
                writer.flush();
            }
        }).closeTimeout(java.time.Duration.ofSeconds(20)).start().closeOnShutdown();
        ExecEvent event = ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT);
        for (int i = 0; i < events; i++) {
            pipeline.offer(event);
        }
        if (args.length > 2 && args[2].equals("exit")) {
            System.exit(3);
        }
    }
}
