package io.execguard.examples.jobs;

import java.util.Optional;

/**
 * How one run of a job ended: the tool's exit status and the first lines it printed, or the exception that
 * kept it from starting.
 *
 * @param job      the job
 * @param exitCode the tool's exit status when it started
 * @param output   the first lines of its combined stdout and stderr
 * @param failure  why it did not start, when it did not
 */
public record JobResult(Job job, Optional<Integer> exitCode, String output, Optional<Exception> failure) {
    /** True when the tool started and exited with status 0. */
    public boolean succeeded() {
        return exitCode.filter(code -> code == 0).isPresent();
    }
}
