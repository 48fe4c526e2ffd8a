package io.execguard.examples.jobs;

import java.util.List;

/**
 * One background job of the demo service: a name for the log and the command it runs.
 *
 * @param name    what the log calls the job
 * @param command the program and its arguments, as given to {@link ProcessBuilder}
 */
public record Job(String name, List<String> command) {
    /** Validates and copies the command. */
    public Job {
        if (name.isBlank() || command.isEmpty()) {
            throw new IllegalArgumentException("a job needs a name and a command");
        }
        command = List.copyOf(command);
    }
}
