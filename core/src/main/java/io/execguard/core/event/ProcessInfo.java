package io.execguard.core.event;

import io.execguard.core.context.ProcessContext;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code process.*}: the process that attempted the exec. Arguments are kept as given; the
 * {@link EventJsonWriter} redacts them (and the command line) on output. Immutable.
 */
public final class ProcessInfo {
    private final long pid;
    private final Long parentPid;
    private final String executable;
    private final String name;
    private final List<String> args;
    private final String commandLine;
    private final String workingDirectory;
    private final String threadName;
    private final List<String> effectiveCapabilities;
    private final List<String> permittedCapabilities;

    private ProcessInfo(Builder b) {
        this.pid = b.pid;
        this.parentPid = b.parentPid;
        this.executable = b.executable;
        this.name = b.name;
        this.args = b.args;
        this.commandLine = b.commandLine;
        this.workingDirectory = b.workingDirectory;
        this.threadName = b.threadName;
        this.effectiveCapabilities = b.effectiveCapabilities;
        this.permittedCapabilities = b.permittedCapabilities;
    }

    public static Builder builder(long pid) {
        return new Builder(pid);
    }

    /** Everything {@code /proc} said about the process: pid, parent, exe, comm, argv, cwd, capabilities. */
    public static Builder from(ProcessContext context) {
        Builder b = builder(context.pid()).parentPid(context.parentPid()).name(context.name()).args(context.args())
                .effectiveCapabilities(context.security().effectiveCapabilities())
                .permittedCapabilities(context.security().permittedCapabilities());
        context.executable().ifPresent(b::executable);
        context.workingDirectory().ifPresent(b::workingDirectory);
        return b;
    }

    public long pid() {
        return pid;
    }

    public Optional<Long> parentPid() {
        return Optional.ofNullable(parentPid);
    }

    public Optional<String> executable() {
        return Optional.ofNullable(executable);
    }

    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The arguments, {@code args[0]} first; empty when unknown. */
    public List<String> args() {
        return args;
    }

    /** The command line: as given, or the arguments joined with spaces. */
    public Optional<String> commandLine() {
        if (commandLine != null) {
            return Optional.of(commandLine);
        }
        return args.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", args));
    }

    public Optional<String> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** {@code process.thread.name}: the Java thread that attempted the exec (agent). */
    public Optional<String> threadName() {
        return Optional.ofNullable(threadName);
    }

    public List<String> effectiveCapabilities() {
        return effectiveCapabilities;
    }

    public List<String> permittedCapabilities() {
        return permittedCapabilities;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProcessInfo)) {
            return false;
        }
        ProcessInfo p = (ProcessInfo) o;
        return pid == p.pid && Objects.equals(parentPid, p.parentPid) && Objects.equals(executable, p.executable)
                && Objects.equals(name, p.name) && args.equals(p.args) && Objects.equals(commandLine, p.commandLine)
                && Objects.equals(workingDirectory, p.workingDirectory) && Objects.equals(threadName, p.threadName)
                && effectiveCapabilities.equals(p.effectiveCapabilities)
                && permittedCapabilities.equals(p.permittedCapabilities);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pid, parentPid, executable, name, args, commandLine, workingDirectory);
    }

    @Override
    public String toString() {
        return "ProcessInfo{pid=" + pid + ", name=" + name + ", exe=" + executable + "}";
    }

    /** Builds a {@link ProcessInfo}; only the pid is required. */
    public static final class Builder {
        private final long pid;
        private Long parentPid;
        private String executable;
        private String name;
        private List<String> args = Collections.emptyList();
        private String commandLine;
        private String workingDirectory;
        private String threadName;
        private List<String> effectiveCapabilities = Collections.emptyList();
        private List<String> permittedCapabilities = Collections.emptyList();

        private Builder(long pid) {
            this.pid = pid;
        }

        public Builder parentPid(long parentPid) {
            this.parentPid = parentPid;
            return this;
        }

        public Builder executable(String executable) {
            this.executable = executable;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder args(List<String> args) {
            this.args = List.copyOf(args);
            return this;
        }

        /** Only needed when the command line is not the arguments joined with spaces (e.g. a proctitle). */
        public Builder commandLine(String commandLine) {
            this.commandLine = commandLine;
            return this;
        }

        public Builder workingDirectory(String workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        public Builder threadName(String threadName) {
            this.threadName = threadName;
            return this;
        }

        public Builder effectiveCapabilities(List<String> names) {
            this.effectiveCapabilities = List.copyOf(names);
            return this;
        }

        public Builder permittedCapabilities(List<String> names) {
            this.permittedCapabilities = List.copyOf(names);
            return this;
        }

        public ProcessInfo build() {
            return new ProcessInfo(this);
        }
    }
}
