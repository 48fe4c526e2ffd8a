package io.execguard.core.event.pipeline;

/**
 * Told by the pipeline's writer thread, at most once per report interval (one minute by default) and at close,
 * that events were dropped since the previous report.
 */
@FunctionalInterface
public interface DropReporter {
    /**
     * @param droppedSinceLastReport events dropped since the previous call (always at least 1)
     * @param droppedTotal events dropped since the pipeline started
     */
    void report(long droppedSinceLastReport, long droppedTotal);
}
