package io.execguard.core.diagnose;

import io.execguard.core.platform.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's verdict on one file: why it will or will not execute, what execve returns, and what to do.
 * Immutable.
 */
public final class Diagnosis {
    private final String path;
    private final String resolvedPath;
    private final Cause cause;
    private final Errno errno;
    private final boolean runnable;
    private final String summary;
    private final String remediation;
    private final Platform platform;
    private final Evidence evidence;

    private Diagnosis(Builder b) {
        this.path = Objects.requireNonNull(b.path, "path");
        this.resolvedPath = b.resolvedPath;
        this.cause = Objects.requireNonNull(b.cause, "cause");
        this.errno = b.errnoSet ? b.errno : b.cause.defaultErrno().orElse(null);
        this.runnable = b.runnable != null ? b.runnable : b.cause.runnable();
        this.summary = b.summary != null ? b.summary : b.cause.summary();
        this.remediation = b.remediation != null ? b.remediation : b.cause.remediation();
        this.platform = Objects.requireNonNull(b.platform, "platform");
        this.evidence = b.evidence != null ? b.evidence : Evidence.empty();
    }

    /** A builder for {@code cause}; errno, runnable, summary and remediation default to the cause's. */
    public static Builder builder(String path, Cause cause, Platform platform) {
        return new Builder(path, cause, platform);
    }

    /** The path exactly as it was given. */
    public String path() {
        return path;
    }

    /** The path inside the file tree after following symlinks, when resolution got that far. */
    public Optional<String> resolvedPath() {
        return Optional.ofNullable(resolvedPath);
    }

    public Cause cause() {
        return cause;
    }

    /** What execve returns (or SIGSEGV); empty when execve succeeds. */
    public Optional<Errno> errno() {
        return Optional.ofNullable(errno);
    }

    /** Whether the intended program actually starts. */
    public boolean runnable() {
        return runnable;
    }

    /** One sentence saying what is wrong (or right) with this file. */
    public String summary() {
        return summary;
    }

    /** A concrete next step. */
    public String remediation() {
        return remediation;
    }

    /** The platform the file was judged against. */
    public Platform platform() {
        return platform;
    }

    public Evidence evidence() {
        return evidence;
    }

    /** A builder pre-filled with this diagnosis. */
    public Builder toBuilder() {
        Builder b = new Builder(path, cause, platform);
        b.resolvedPath = resolvedPath;
        b.errno = errno;
        b.errnoSet = true;
        b.runnable = runnable;
        b.summary = summary;
        b.remediation = remediation;
        b.evidence = evidence;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Diagnosis)) {
            return false;
        }
        Diagnosis d = (Diagnosis) o;
        return path.equals(d.path) && Objects.equals(resolvedPath, d.resolvedPath) && cause == d.cause
                && errno == d.errno && runnable == d.runnable && summary.equals(d.summary)
                && remediation.equals(d.remediation) && platform.equals(d.platform) && evidence.equals(d.evidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, resolvedPath, cause, errno, runnable, summary, remediation, platform, evidence);
    }

    @Override
    public String toString() {
        return "Diagnosis{" + path + ": " + cause + (errno == null ? "" : " " + errno) + ", " + summary + "}";
    }

    /** Builds a {@link Diagnosis}. */
    public static final class Builder {
        private final String path;
        private final Cause cause;
        private final Platform platform;
        private String resolvedPath;
        private Errno errno;
        private boolean errnoSet;
        private Boolean runnable;
        private String summary;
        private String remediation;
        private Evidence evidence;

        private Builder(String path, Cause cause, Platform platform) {
            this.path = path;
            this.cause = cause;
            this.platform = platform;
        }

        public Builder resolvedPath(String resolvedPath) {
            this.resolvedPath = resolvedPath;
            return this;
        }

        /** Overrides the cause's default errno; null means execve succeeds. */
        public Builder errno(Errno errno) {
            this.errno = errno;
            this.errnoSet = true;
            return this;
        }

        public Builder runnable(boolean runnable) {
            this.runnable = runnable;
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder remediation(String remediation) {
            this.remediation = remediation;
            return this;
        }

        public Builder evidence(Evidence evidence) {
            this.evidence = evidence;
            return this;
        }

        public Diagnosis build() {
            return new Diagnosis(this);
        }
    }
}
