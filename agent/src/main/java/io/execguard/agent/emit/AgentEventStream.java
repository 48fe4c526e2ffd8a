package io.execguard.agent.emit;

import io.execguard.agent.install.AgentLog;
import io.execguard.core.event.ExecEvent;
import io.execguard.core.event.FileHashEnricher;
import io.execguard.core.event.output.OutputSpec;
import io.execguard.core.event.pipeline.EventPipeline;
import io.execguard.core.fs.HostFileTree;
import io.execguard.core.hash.FileHasher;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.ObjectName;

/**
 * The agent's end of the shared event pipeline: a bounded queue drained by one daemon thread into the configured
 * output. A thread reporting an exec never waits unless the queue is full; then it waits up to
 * {@link #OVERFLOW_WAIT} for room. Drops (queue still full, output unavailable) are counted and reported at most
 * once a minute as one line on stderr, and readable at any time over JMX ({@link AgentEventsMXBean}); queued events
 * are written when the JVM exits.
 */
public final class AgentEventStream implements AgentEventsMXBean {
    static final String OBJECT_NAME = "io.execguard:type=AgentEvents";
    /** How long a thread reporting an exec waits for room in a full event queue before the event is dropped. */
    static final Duration OVERFLOW_WAIT = Duration.ofMillis(200);

    private final EventPipeline pipeline;

    private AgentEventStream(EventPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Starts the writer thread for {@code output}. */
    public static AgentEventStream start(OutputSpec output) {
        EventPipeline pipeline = EventPipeline.builder()
                .sink(new LineSink(output))
                .enricher(new FileHashEnricher(HostFileTree.root(), FileHasher.withDefaults()))
                .dropReporter((delta, total) -> System.err.println("execguard: dropped " + delta
                        + " events since the last report (" + total + " in total)"))
                // A thread whose exec failed waits (at most this long) for room rather than lose its event when the
                // output falls behind, e.g. 64 threads failing execs on 2 cores: the writer thread's share of the CPU
                // is then too small for it to keep up. Healthy execs never get here.
                .overflowWait(OVERFLOW_WAIT)
                .threadName("execguard-events")
                .start()
                .closeOnShutdown();
        AgentEventStream stream = new AgentEventStream(pipeline);
        stream.registerLater();
        return stream;
    }

    /**
     * Registers the counters with the platform MBean server from a daemon thread: creating that server costs tens
     * of milliseconds, which the thread reporting the first failed exec must not wait for.
     */
    private void registerLater() {
        Thread t = new Thread(new Registration(this), "execguard-jmx");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public long getOfferedEvents() {
        return pipeline.stats().offered();
    }

    @Override
    public long getWrittenEvents() {
        return pipeline.stats().written();
    }

    @Override
    public long getDroppedEvents() {
        return pipeline.stats().dropped();
    }

    private static final class Registration implements Runnable {
        private final AgentEventStream stream;

        Registration(AgentEventStream stream) {
            this.stream = stream;
        }

        @Override
        public void run() {
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(stream, new ObjectName(OBJECT_NAME));
            } catch (Exception | LinkageError e) {
                // Another copy registered first, or no JMX in this runtime: the stderr drop report still works.
            }
        }
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

    /**
     * Writes what is queued (bounded wait) and stops the writer thread. In an application the pipeline's shutdown
     * hook does this; an embedder that starts several streams (tests) closes each.
     */
    public void close() {
        pipeline.close();
    }
}
