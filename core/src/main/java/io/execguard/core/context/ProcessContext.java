package io.execguard.core.context;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one process as {@code /proc/PID} describes it: identity, command line, user ids, security context,
 * container and namespaces. Immutable.
 *
 * <p>Reading tolerates the process vanishing: when the process is gone before or while it is read, or its pid
 * was reused by another process during the read (start time changed), {@link #read} returns empty rather than a
 * mixture of two processes. Individual facts the reader may not see (another user's {@code exe} and {@code cwd}
 * without ptrace access, a kernel thread's empty command line, no LSM) are empty, the rest is still returned.
 */
public final class ProcessContext {
    private final long pid;
    private final long parentPid;
    private final long startTime;
    private final String name;
    private final String executable;
    private final List<String> args;
    private final String workingDirectory;
    private final UserIds userIds;
    private final SecurityContext security;
    private final ContainerIdentity container;
    private final Map<String, Long> namespaces;

    ProcessContext(long pid, long parentPid, long startTime, String name, String executable, List<String> args,
                   String workingDirectory, UserIds userIds, SecurityContext security, ContainerIdentity container,
                   Map<String, Long> namespaces) {
        this.pid = pid;
        this.parentPid = parentPid;
        this.startTime = startTime;
        this.name = Objects.requireNonNull(name, "name");
        this.executable = executable;
        this.args = List.copyOf(args);
        this.workingDirectory = workingDirectory;
        this.userIds = Objects.requireNonNull(userIds, "userIds");
        this.security = Objects.requireNonNull(security, "security");
        this.container = container;
        this.namespaces = Collections.unmodifiableMap(new java.util.TreeMap<>(namespaces));
    }

    /** This JVM's own process, from {@code /proc/self}'s pid. */
    public static Optional<ProcessContext> self() {
        return read(ProcessHandle.current().pid());
    }

    /** Process {@code pid} of this machine's {@code /proc}; empty when it does not exist (or no longer). */
    public static Optional<ProcessContext> read(long pid) {
        return read(Path.of("/proc"), pid);
    }

    /**
     * Process {@code pid} of the {@code /proc} mounted at {@code procRoot} (e.g. the host's {@code /proc} mounted
     * into a sidecar); empty when it does not exist (or no longer).
     */
    public static Optional<ProcessContext> read(Path procRoot, long pid) {
        return new ProcessContextReader(procRoot).read(pid);
    }

    public long pid() {
        return pid;
    }

    /** {@code PPid}: 0 for the first process of a pid namespace as seen from inside it. */
    public long parentPid() {
        return parentPid;
    }

    /** Start time in clock ticks since boot (field 22 of {@code stat}): with the pid, identifies the process. */
    public long startTime() {
        return startTime;
    }

    /** The command name ({@code comm}, at most 15 characters). */
    public String name() {
        return name;
    }

    /** The path of the running executable ({@code exe} link), possibly ending in {@code " (deleted)"}. */
    public Optional<String> executable() {
        return Optional.ofNullable(executable);
    }

    /** The arguments ({@code cmdline}), unredacted: redaction happens when events are written. */
    public List<String> args() {
        return args;
    }

    /** The working directory ({@code cwd} link). */
    public Optional<String> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    public UserIds userIds() {
        return userIds;
    }

    public SecurityContext security() {
        return security;
    }

    /** The container the process runs in, from its cgroup path. */
    public Optional<ContainerIdentity> container() {
        return Optional.ofNullable(container);
    }

    /** Namespace inode numbers by name ({@code mnt}, {@code pid}, {@code net}, {@code user}...), where readable. */
    public Map<String, Long> namespaces() {
        return namespaces;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProcessContext)) {
            return false;
        }
        ProcessContext p = (ProcessContext) o;
        return pid == p.pid && parentPid == p.parentPid && startTime == p.startTime && name.equals(p.name)
                && Objects.equals(executable, p.executable) && args.equals(p.args)
                && Objects.equals(workingDirectory, p.workingDirectory) && userIds.equals(p.userIds)
                && security.equals(p.security) && Objects.equals(container, p.container)
                && namespaces.equals(p.namespaces);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pid, startTime, name, executable, args);
    }

    @Override
    public String toString() {
        return "ProcessContext{pid=" + pid + ", ppid=" + parentPid + ", name=" + name + ", exe=" + executable
                + ", " + userIds + ", " + security + ", container=" + container + "}";
    }
}
