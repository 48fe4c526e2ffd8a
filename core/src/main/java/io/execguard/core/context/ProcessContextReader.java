package io.execguard.core.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one {@link ProcessContext} from a {@code /proc} tree. Mandatory files ({@code stat}, {@code status}) that
 * cannot be read mean the process is gone; {@code stat} is read again at the end so a process that exited, or a
 * pid that was reused, during the read yields empty.
 */
final class ProcessContextReader {
    /** Namespaces recorded in {@link ProcessContext#namespaces()}. */
    private static final String[] NAMESPACES = {"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"};

    /** Test seam: runs after each file is read, so a test can end the process at a chosen point. */
    interface ReadListener {
        void afterRead(String file);
    }

    private final Path procRoot;
    private final ReadListener listener;

    ProcessContextReader(Path procRoot) {
        this(procRoot, file -> { });
    }

    ProcessContextReader(Path procRoot, ReadListener listener) {
        this.procRoot = procRoot;
        this.listener = listener;
    }

    Optional<ProcessContext> read(long pid) {
        Path dir = procRoot.resolve(Long.toString(pid));
        try {
            Stat stat = Stat.parse(readText(dir, "stat"));
            Map<String, String> status = parseStatus(readText(dir, "status"));
            List<String> args = parseCmdline(readBytesOptional(dir, "cmdline"));
            String exe = readLinkOptional(dir, "exe");
            String cwd = readLinkOptional(dir, "cwd");
            SecurityContext security = security(dir, status);
            ContainerIdentity container = optionalText(dir, "cgroup")
                    .flatMap(ContainerIds::fromCgroupFile).orElse(null);
            Map<String, Long> namespaces = namespaces(dir);
            Stat again = Stat.parse(readText(dir, "stat"));
            if (again.startTime != stat.startTime) {
                return Optional.empty(); // the pid now names another process
            }
            return Optional.of(new ProcessContext(pid, stat.parentPid, stat.startTime,
                    status.getOrDefault("Name", stat.comm), exe, args, cwd, userIds(status), security, container,
                    namespaces));
        } catch (IOException | RuntimeException e) {
            // Gone (ENOENT/ESRCH), or the files are not what a Linux /proc writes: either way nothing reliable.
            return Optional.empty();
        }
    }

    private SecurityContext security(Path dir, Map<String, String> status) {
        SecurityContext.Builder b = SecurityContext.builder();
        hexField(status, "CapEff").ifPresent(mask -> b.effectiveCapabilities(Capabilities.namesOfHex(mask)));
        hexField(status, "CapPrm").ifPresent(mask -> b.permittedCapabilities(Capabilities.namesOfHex(mask)));
        intField(status, "NoNewPrivs").ifPresent(v -> b.noNewPrivs(v != 0));
        intField(status, "Seccomp").flatMap(SeccompMode::ofNumber).ifPresent(b::seccomp);
        lsmLabel(dir, b);
        return b.build();
    }

    /**
     * AppArmor has its own {@code attr/apparmor/current} since Linux 5.1; {@code attr/current} belongs to the first
     * "major" LSM. An LSM-less kernel answers EINVAL on read; both absent means no label.
     */
    private void lsmLabel(Path dir, SecurityContext.Builder b) {
        Optional<String> apparmor = optionalText(dir, "attr/apparmor/current").map(ProcessContextReader::trimNul);
        if (apparmor.isPresent() && !apparmor.get().isEmpty()) {
            b.lsm("apparmor", apparmor.get());
            return;
        }
        optionalText(dir, "attr/current").map(ProcessContextReader::trimNul).filter(s -> !s.isEmpty())
                .ifPresent(label -> b.lsm(guessLsm(label), label));
    }

    /** SELinux contexts are {@code user:role:type:level}; AppArmor labels are a profile name, maybe with mode. */
    static String guessLsm(String label) {
        return label.chars().filter(c -> c == ':').count() >= 3 ? "selinux" : "apparmor";
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).trim();
    }

    private Map<String, Long> namespaces(Path dir) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String ns : NAMESPACES) {
            String link = readLinkOptional(dir, "ns/" + ns);
            // "mnt:[4026531841]"
            if (link != null && link.endsWith("]") && link.indexOf('[') > 0) {
                try {
                    out.put(ns, Long.parseLong(link.substring(link.indexOf('[') + 1, link.length() - 1)));
                } catch (NumberFormatException ignored) {
                    // not the format this reader knows: leave it out
                }
            }
        }
        return out;
    }

    private static UserIds userIds(Map<String, String> status) {
        long[] uids = idList(status.get("Uid"));
        long[] gids = idList(status.get("Gid"));
        return new UserIds(uids[0], uids[1], gids[0], gids[1]);
    }

    /** {@code Uid:\t1000\t1000\t1000\t1000} (real, effective, saved, fs). */
    private static long[] idList(String value) {
        if (value == null) {
            throw new IllegalStateException("status without Uid/Gid");
        }
        String[] parts = value.trim().split("\\s+");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts.length > 1 ? parts[1] : parts[0])};
    }

    private static Optional<String> hexField(Map<String, String> status, String key) {
        return Optional.ofNullable(status.get(key)).map(String::trim);
    }

    private static Optional<Integer> intField(Map<String, String> status, String key) {
        String v = status.get(key);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> parseStatus(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** NUL-separated argv; a trailing NUL ends the last argument. Empty for kernel threads and zombies. */
    static List<String> parseCmdline(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Collections.emptyList();
        }
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                args.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            args.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return args;
    }

    private String readText(Path dir, String file) throws IOException {
        byte[] bytes = readProcFile(dir.resolve(file));
        listener.afterRead(file);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Optional<String> optionalText(Path dir, String file) {
        byte[] bytes = readBytesOptional(dir, file);
        return bytes == null ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The file's bytes, or null when it cannot be read (absent, EACCES, EINVAL from an LSM-less attr file). */
    private byte[] readBytesOptional(Path dir, String file) {
        try {
            return readProcFile(dir.resolve(file));
        } catch (IOException | SecurityException e) {
            return null;
        } finally {
            listener.afterRead(file);
        }
    }

    /**
     * Reads a whole /proc file with one large read. {@link Files#readAllBytes} must not be used: for a file that
     * reports size 0 it reads one byte first, and many /proc and /proc/sys handlers answer a read at a non-zero
     * offset with end-of-file (JDK 17 returns "3" for a pid_max of 32768 - seen on Linux 6.18).
     */
    static byte[] readProcFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        }
    }

    private String readLinkOptional(Path dir, String link) {
        try {
            return Files.readSymbolicLink(dir.resolve(link)).toString();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return null;
        } finally {
            listener.afterRead(link);
        }
    }

    /** The fields of {@code /proc/PID/stat} execguard needs. {@code comm} may contain spaces and parentheses. */
    static final class Stat {
        final String comm;
        final long parentPid;
        final long startTime;

        private Stat(String comm, long parentPid, long startTime) {
            this.comm = comm;
            this.parentPid = parentPid;
            this.startTime = startTime;
        }

        static Stat parse(String text) {
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalStateException("not a stat line: " + text);
            }
            // After ") ": field 3 (state) is index 0, so ppid (field 4) is 1 and starttime (field 22) is 19.
            String[] rest = text.substring(close + 2).trim().split(" ");
            return new Stat(text.substring(open + 1, close), Long.parseLong(rest[1]), Long.parseLong(rest[19]));
        }
    }
}
