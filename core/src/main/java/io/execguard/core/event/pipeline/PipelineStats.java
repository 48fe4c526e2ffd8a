package io.execguard.core.event.pipeline;

/**
 * Counters of an {@link EventPipeline} at one moment. Every offered event ends up written or dropped:
 * once the pipeline is closed, {@code offered == written + dropped}; while it runs the difference is
 * {@link #pending()}. Immutable.
 */
public final class PipelineStats {
    private final long offered;
    private final long written;
    private final long dropped;

    public PipelineStats(long offered, long written, long dropped) {
        this.offered = offered;
        this.written = written;
        this.dropped = dropped;
    }

    /** Events passed to {@link EventPipeline#offer}. */
    public long offered() {
        return offered;
    }

    /** Events the sink accepted. */
    public long written() {
        return written;
    }

    /** Events lost: queue full, pipeline closed, sink or serialisation failure, or not flushed at shutdown. */
    public long dropped() {
        return dropped;
    }

    /** Events queued or being written. */
    public long pending() {
        return offered - written - dropped;
    }

    @Override
    public String toString() {
        return "offered=" + offered + " written=" + written + " dropped=" + dropped;
    }
}
