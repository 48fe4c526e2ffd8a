package io.execguard.agent.emit;

import io.execguard.agent.install.AgentLog;
import io.execguard.core.event.ExecEvent;
import io.execguard.core.event.output.OutputSpec;
import io.execguard.core.event.pipeline.EventPipeline;

/**
 * The agent's end of the shared event pipeline: a bounded, never-blocking queue drained by one daemon thread into
 * the configured output. Drops (queue full, output unavailable) are counted and reported at most once a minute as
 * one line on stderr; queued events are written when the JVM exits.
 */
public final class AgentEventStream {
    private final EventPipeline pipeline;

    private AgentEventStream(EventPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Starts the writer thread for {@code output}. */
    public static AgentEventStream start(OutputSpec output) {
        EventPipeline pipeline = EventPipeline.builder()
                .sink(new LineSink(output))
                .dropReporter((delta, total) -> System.err.println("execguard: dropped " + delta
                        + " events since the last report (" + total + " in total)"))
                .threadName("execguard-events")
                .start()
                .closeOnShutdown();
        return new AgentEventStream(pipeline);
    }

    /** Queues the event; never blocks, drops and counts it when the queue is full. */
    public void emit(ExecEvent event) {
        try {
            pipeline.offer(event);
        } catch (RuntimeException e) {
            AgentLog.warn("could not queue an event (" + e + ")");
        }
    }

    /** Events dropped so far. */
    public long dropped() {
        return pipeline.droppedCount();
    }
}
