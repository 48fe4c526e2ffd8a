package io.execguard.core.event.pipeline;

/**
 * Where the pipeline's writer thread hands each serialised event: one JSON object, without line terminator.
 * Called from that single thread only, so implementations need not be thread-safe. A sink may be slow; it never
 * slows down the threads that produce events.
 */
public interface EventSink {
    /**
     * Writes one event line.
     *
     * @throws Exception any failure: the pipeline counts the event as dropped and carries on
     */
    void write(String jsonLine) throws Exception;

    /** Flushes buffered lines; called when the queue runs empty and at shutdown. */
    default void flush() throws Exception {
    }
}
