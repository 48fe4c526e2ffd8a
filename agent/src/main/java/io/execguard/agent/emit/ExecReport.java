package io.execguard.agent.emit;

import io.execguard.agent.explain.CallSite;
import io.execguard.core.diagnose.Diagnosis;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the agent saw about one exec: the facts an event is written from. Immutable. */
public final class ExecReport {
    /** The event action; names are the contract of {@code event.action}. */
    public enum Action {
        EXEC_FAILED("exec-failed"), EXEC_SHELL_FALLBACK("exec-shell-fallback"), EXEC_BLOCKED("exec-blocked");

        private final String eventAction;

        Action(String eventAction) {
            this.eventAction = eventAction;
        }

        public String eventAction() {
            return eventAction;
        }
    }

    private final Instant timestamp;
    private final Action action;
    private final List<String> command;
    private final String workingDirectory;
    private final String resolvedPath;
    private final Diagnosis diagnosis;
    private final String errorCode;
    private final String errorMessage;
    private final CallSite callSite;
    private final String denyRule;

    private ExecReport(Builder b) {
        this.timestamp = Objects.requireNonNull(b.timestamp);
        this.action = Objects.requireNonNull(b.action);
        this.command = Collections.unmodifiableList(b.command);
        this.workingDirectory = Objects.requireNonNull(b.workingDirectory);
        this.resolvedPath = b.resolvedPath;
        this.diagnosis = b.diagnosis;
        this.errorCode = b.errorCode;
        this.errorMessage = b.errorMessage;
        this.callSite = b.callSite;
        this.denyRule = b.denyRule;
    }

    public static Builder builder(Action action, List<String> command, String workingDirectory) {
        return new Builder(action, command, workingDirectory);
    }

    public Instant timestamp() {
        return timestamp;
    }

    public Action action() {
        return action;
    }

    /** The command as the application gave it (not redacted: the writer redacts). */
    public List<String> command() {
        return command;
    }

    /** The child's working directory. */
    public String workingDirectory() {
        return workingDirectory;
    }

    /** The file the child tried (or would have tried) to execute. */
    public Optional<String> resolvedPath() {
        return Optional.ofNullable(resolvedPath);
    }

    public Optional<Diagnosis> diagnosis() {
        return Optional.ofNullable(diagnosis);
    }

    /** The errno name, e.g. {@code ENOEXEC}. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** The message of the exception the application saw (or would have seen, for a shell fallback). */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    public Optional<CallSite> callSite() {
        return Optional.ofNullable(callSite);
    }

    /** For {@code exec-blocked}: the deny rule that refused the exec. */
    public Optional<String> denyRule() {
        return Optional.ofNullable(denyRule);
    }

    /** Builds an {@link ExecReport}. */
    public static final class Builder {
        private Instant timestamp = Instant.now();
        private final Action action;
        private final List<String> command;
        private final String workingDirectory;
        private String resolvedPath;
        private Diagnosis diagnosis;
        private String errorCode;
        private String errorMessage;
        private CallSite callSite;
        private String denyRule;

        private Builder(Action action, List<String> command, String workingDirectory) {
            this.action = action;
            this.command = List.copyOf(command);
            this.workingDirectory = workingDirectory;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder resolvedPath(String resolvedPath) {
            this.resolvedPath = resolvedPath;
            return this;
        }

        public Builder diagnosis(Diagnosis diagnosis) {
            this.diagnosis = diagnosis;
            return this;
        }

        public Builder error(String code, String message) {
            this.errorCode = code;
            this.errorMessage = message;
            return this;
        }

        public Builder callSite(CallSite callSite) {
            this.callSite = callSite;
            return this;
        }

        public Builder denyRule(String denyRule) {
            this.denyRule = denyRule;
            return this;
        }

        public ExecReport build() {
            return new ExecReport(this);
        }
    }
}
