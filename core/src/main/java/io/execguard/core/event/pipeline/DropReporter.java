package io.execguard.core.event.pipeline;

/**
 * Told, at most once per report interval (one minute by default) and at close, that events were dropped since the
 * previous report. Called from the pipeline's writer thread, and at close also from the closing thread, never from
 * a thread that offers events.
 */
@FunctionalInterface
public interface DropReporter {
    /**
     * @param droppedSinceLastReport events dropped since the previous call (always at least 1)
     * @param droppedTotal events dropped since the pipeline started
     */
    void report(long droppedSinceLastReport, long droppedTotal);
}
