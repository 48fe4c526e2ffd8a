package io.execguard.sidecar.watch;

import io.execguard.sidecar.audit.exec.ExecFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Proves the whole chain (rule, auditing enabled, multicast delivery or auditd's log, parsing, reassembly) by
 * failing one exec on purpose and waiting for it to come back: a file without {@code #!} in a private directory,
 * started with {@link ProcessBuilder}. The JVM's spawn helper calls execve on it, which fails with ENOEXEC and is
 * audited; the JVM then silently re-runs it through {@code /bin/sh}, where its content - a comment and
 * {@code :} - does nothing. Failures of any execguard probe (other watch instances' too) are taken here and never
 * reported as events.
 */
public final class ReadinessProbe implements Predicate<ExecFailure>, AutoCloseable {
    static final String DIRECTORY_PREFIX = "execguard-probe-";
    static final String FILE_NAME = "readiness-probe";
    private static final String CONTENT = "# execguard readiness probe: no #! line on purpose, so that exec fails\n:\n";

    private final Path dir;
    private final Path file;
    private final Object lock = new Object();
    private boolean seen;

    private ReadinessProbe(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
    }

    /** Creates the probe file in a fresh private directory under {@code parent}. */
    public static ReadinessProbe create(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, DIRECTORY_PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ReadinessProbe p = new ReadinessProbe(dir);
        Files.writeString(p.file, CONTENT);
        Files.setPosixFilePermissions(p.file, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    /** The file whose exec fails. */
    public Path file() {
        return file;
    }

    /** Fails one exec of the probe file. */
    public void trigger() {
        try {
            Process p = new ProcessBuilder(file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // Without /bin/sh the fallback fails too; the audited execve has happened all the same.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when the failure is an execguard readiness probe's (this process's or another instance's). */
    public static boolean isProbe(ExecFailure f) {
        String path = f.absoluteTarget().orElse("");
        return path.endsWith("/" + FILE_NAME) && path.contains("/" + DIRECTORY_PREFIX);
    }

    /** Takes the failure when it is a probe's (this one's or another execguard's). */
    @Override
    public boolean test(ExecFailure f) {
        if (!isProbe(f)) {
            return false;
        }
        String path = f.absoluteTarget().orElse("");
        if (path.equals(file.toString()) || f.target().map(t -> t.name().equals(file.toString())).orElse(false)) {
            synchronized (lock) {
                seen = true;
                lock.notifyAll();
            }
        }
        return true;
    }

    /** Waits until this probe's failure came back through the stream. */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!seen) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    /** True once the probe's failure has been seen. */
    public boolean seen() {
        synchronized (lock) {
            return seen;
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover empty temp directory is harmless
        }
    }
}
