package io.execguard.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of tests that need root or a tool: in CI ({@code CI=true}) a missing precondition FAILS the test,
 * elsewhere it skips the test and says why.
 */
public final class Privileges {
    private Privileges() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Requires uid 0: fails in CI, skips elsewhere. */
    public static void requireRoot() {
        require(isRoot(), "needs root (uid 0)");
    }

    /** Requires root: fails in CI, skips elsewhere. */
    public static void requireRoot(String why) {
        require(isRoot(), "needs root to " + why);
    }

    /** Requires a command on PATH. */
    public static void requireCommand(String command) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            found |= Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, command));
        }
        require(found, "needs " + command + " on PATH");
    }

    /** Fails in CI, skips elsewhere, when {@code condition} does not hold. */
    public static void require(boolean condition, String reason) {
        if (!condition && inCi()) {
            fail(reason + " (CI=true: required)");
        }
        assumeTrue(condition, reason + " (skipped: not in CI)");
    }
}
