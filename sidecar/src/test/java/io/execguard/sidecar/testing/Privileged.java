package io.execguard.sidecar.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of tests that need root, the audit subsystem or system tools. On a developer's machine a missing
 * precondition skips the test with the reason; under CI ({@code CI=true}, root) it fails it, because there a skip
 * would hide a broken test environment.
 */
public final class Privileged {
    private Privileged() {
    }

    /** Requires uid 0. */
    public static void requireRoot() {
        require(isRoot(), "needs root (uid 0)");
    }

    /** Requires an executable named {@code tool} on the PATH. */
    public static void requireTool(String tool) {
        require(onPath(tool), "needs " + tool + " on the PATH");
    }

    /** Skips (or, in CI, fails) with {@code reason} unless {@code condition}. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but this test's precondition is not met: " + reason);
        }
        assumeTrue(false, reason);
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
