package io.execguard.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs set-up commands of tests (gcc, mount, mkfifo); the code under test never spawns anything. */
public final class Commands {
    private Commands() {
    }

    /** Runs {@code command} and returns its output; throws when it fails. */
    public static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command + " failed with " + p.exitValue() + ": " + out);
        }
        return out;
    }

    public static String run(String... command) throws IOException {
        return run(List.of(command));
    }
}
