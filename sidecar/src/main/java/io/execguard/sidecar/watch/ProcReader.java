package io.execguard.sidecar.watch;

import io.execguard.core.context.ProcessContext;
import io.execguard.core.platform.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads what enrichment needs about a pid from {@code /proc} (through core's {@link ProcessContext}), tolerating
 * the process vanishing at any point: the failing child usually exits at once.
 */
public final class ProcReader {
    private final Path proc;

    public ProcReader(Path proc) {
        this.proc = proc;
    }

    /** The /proc of this pid namespace. */
    public static ProcReader system() {
        return new ProcReader(Path.of("/proc"));
    }

    /** The caller itself if it still exists, else its parent, else empty. */
    public Optional<CallerProcess> caller(long pid, long ppid) {
        Optional<CallerProcess> self = read(pid, false);
        return self.isPresent() ? self : read(ppid, true);
    }

    /** The process {@code pid}, if it exists. */
    public Optional<CallerProcess> read(long pid, boolean viaParent) {
        if (pid <= 0) {
            return Optional.empty();
        }
        Optional<ProcessContext> c = ProcessContext.read(proc, pid);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        ProcessContext p = c.get();
        return Optional.of(new CallerProcess(pid, viaParent, p.executable(), p.name(), p.args(), p.parentPid(),
                p.parentPid() > 0 ? link(proc.resolve(Long.toString(p.parentPid())).resolve("exe")) : Optional.empty(),
                p.container(), Optional.of(p.security()), proc.resolve(Long.toString(pid)).resolve("root").toString()));
    }

    /**
     * The file-system uid, groups and CAP_DAC_OVERRIDE of {@code pid} - who execve's permission check applied to -
     * while it exists.
     */
    public Optional<Credentials> credentials(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Credentials.parseStatus(new String(Files.readAllBytes(proc.resolve(
                    Long.toString(pid)).resolve("status")), StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The root directory of {@code pid} as a path through /proc. */
    public String rootOf(long pid) {
        return proc.resolve(Long.toString(pid)).resolve("root").toString();
    }

    /** True while {@code pid} exists (is not yet reaped). */
    public boolean exists(long pid) {
        return Files.exists(proc.resolve(Long.toString(pid)));
    }

    /** Pids visible in this /proc, for pod scope. */
    public List<Long> pids() {
        try (var s = Files.list(proc)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit)).map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<String> link(Path p) {
        try {
            return Optional.of(Files.readSymbolicLink(p).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
