package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes a directory read-only for the child: a read-only tmpfs mounted over it as root (root ignores permission
 * bits), or mode 0555 otherwise.
 */
final class ReadOnlyDirectory {
    private ReadOnlyDirectory() {
    }

    /** Returns true when a mount was made (and must be undone). */
    static boolean make(Path dir) throws IOException, InterruptedException {
        if (isRoot()) {
            if (run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir.toString())) {
                return true;
            }
            fail("cannot mount a read-only tmpfs as root");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        return false;
    }

    static void undo(Path dir, boolean mounted) throws IOException, InterruptedException {
        if (mounted) {
            run("umount", dir.toString());
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    }

    private static boolean run(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).inheritIO().start().waitFor() == 0;
    }
}
