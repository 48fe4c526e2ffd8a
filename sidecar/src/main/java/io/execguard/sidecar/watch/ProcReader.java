package io.execguard.sidecar.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the facts enrichment needs from {@code /proc/PID}: exe, comm, PPid and the container id from the cgroup
 * path. Every read tolerates the process vanishing in between (the failing child usually exits at once).
 */
public final class ProcReader {
    /** Docker, containerd/CRI, CRI-O and Podman ids at the end of a cgroup path (the pattern Beats uses). */
    private static final Pattern CONTAINER_ID = Pattern.compile("[-/:]([0-9a-f]{64})(?:\\.scope)?(?:/container)?$");

    private final Path proc;

    public ProcReader(Path proc) {
        this.proc = proc;
    }

    /** The host's (or this pid namespace's) /proc. */
    public static ProcReader system() {
        return new ProcReader(Path.of("/proc"));
    }

    /** The caller itself if it still exists, else its parent, else empty. */
    public Optional<CallerProcess> caller(int pid, int ppid) {
        Optional<CallerProcess> self = read(pid, false);
        return self.isPresent() ? self : read(ppid, true);
    }

    /** The process {@code pid}, if it exists. */
    public Optional<CallerProcess> read(int pid, boolean viaParent) {
        if (pid <= 0) {
            return Optional.empty();
        }
        Path dir = proc.resolve(Integer.toString(pid));
        Optional<String> status = readString(dir.resolve("status"));
        if (status.isEmpty()) {
            return Optional.empty();
        }
        int ppid = statusField(status.get(), "PPid:").map(Integer::parseInt).orElse(0);
        return Optional.of(new CallerProcess(pid, viaParent, link(dir.resolve("exe")),
                readString(dir.resolve("comm")).map(String::strip), ppid,
                ppid > 0 ? link(proc.resolve(Integer.toString(ppid)).resolve("exe")) : Optional.empty(),
                containerId(dir), dir.resolve("root").toString()));
    }

    /** The container id from {@code /proc/PID/cgroup}, if the process runs in a container. */
    public Optional<String> containerId(Path pidDir) {
        Optional<String> cgroup = readString(pidDir.resolve("cgroup"));
        if (cgroup.isEmpty()) {
            return Optional.empty();
        }
        for (String line : cgroup.get().split("\n")) {
            int colon = line.indexOf(':', line.indexOf(':') + 1);
            Matcher m = CONTAINER_ID.matcher(colon < 0 ? line : line.substring(colon + 1));
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** Pids visible in this /proc, for pod scope. */
    public List<Integer> pids() {
        try (var s = Files.list(proc)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.isEmpty() && n.chars().allMatch(
                    Character::isDigit)).map(Integer::parseInt).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<String> statusField(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return Optional.of(line.substring(key.length()).strip());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> link(Path p) {
        try {
            return Optional.of(Files.readSymbolicLink(p).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> readString(Path p) {
        try {
            return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
