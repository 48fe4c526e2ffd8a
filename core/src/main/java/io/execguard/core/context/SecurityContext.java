package io.execguard.core.context;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What constrains a process when it execs: capabilities, {@code no_new_privs}, the seccomp mode and the LSM
 * (AppArmor/SELinux) label. Read from {@code /proc/PID/status} and {@code /proc/PID/attr}. Immutable; facts the
 * kernel did not expose (old kernel, no LSM) are empty rather than guessed.
 */
public final class SecurityContext {
    private static final SecurityContext UNKNOWN = builder().build();

    private final List<String> effectiveCapabilities;
    private final List<String> permittedCapabilities;
    private final Boolean noNewPrivs;
    private final SeccompMode seccomp;
    private final String lsm;
    private final String lsmLabel;

    private SecurityContext(Builder b) {
        this.effectiveCapabilities = b.effectiveCapabilities;
        this.permittedCapabilities = b.permittedCapabilities;
        this.noNewPrivs = b.noNewPrivs;
        this.seccomp = b.seccomp;
        this.lsm = b.lsm;
        this.lsmLabel = b.lsmLabel;
    }

    /** A context with nothing known, e.g. for a process that was gone before it could be read. */
    public static SecurityContext unknown() {
        return UNKNOWN;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Effective capability names ({@code CapEff}), e.g. {@code CAP_CHOWN}. */
    public List<String> effectiveCapabilities() {
        return effectiveCapabilities;
    }

    /** Permitted capability names ({@code CapPrm}). */
    public List<String> permittedCapabilities() {
        return permittedCapabilities;
    }

    /** The {@code NoNewPrivs} flag: set-id bits and file capabilities are ignored on exec when true. */
    public Optional<Boolean> noNewPrivs() {
        return Optional.ofNullable(noNewPrivs);
    }

    public Optional<SeccompMode> seccomp() {
        return Optional.ofNullable(seccomp);
    }

    /** Which LSM the label belongs to: {@code apparmor}, {@code selinux}, {@code smack}, or empty when unknown. */
    public Optional<String> lsm() {
        return Optional.ofNullable(lsm);
    }

    /**
     * The LSM label exactly as the kernel reports it (e.g. {@code docker-default (enforce)},
     * {@code unconfined}, {@code system_u:system_r:container_t:s0:c1,c2}); empty when no LSM is active.
     */
    public Optional<String> lsmLabel() {
        return Optional.ofNullable(lsmLabel);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SecurityContext)) {
            return false;
        }
        SecurityContext s = (SecurityContext) o;
        return effectiveCapabilities.equals(s.effectiveCapabilities)
                && permittedCapabilities.equals(s.permittedCapabilities) && Objects.equals(noNewPrivs, s.noNewPrivs)
                && seccomp == s.seccomp && Objects.equals(lsm, s.lsm) && Objects.equals(lsmLabel, s.lsmLabel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(effectiveCapabilities, permittedCapabilities, noNewPrivs, seccomp, lsm, lsmLabel);
    }

    @Override
    public String toString() {
        return "SecurityContext{nnp=" + noNewPrivs + ", seccomp=" + seccomp + ", lsm=" + lsm + ":" + lsmLabel
                + ", capEff=" + effectiveCapabilities + "}";
    }

    /** Builds a {@link SecurityContext}; everything is optional. */
    public static final class Builder {
        private List<String> effectiveCapabilities = Collections.emptyList();
        private List<String> permittedCapabilities = Collections.emptyList();
        private Boolean noNewPrivs;
        private SeccompMode seccomp;
        private String lsm;
        private String lsmLabel;

        private Builder() {
        }

        public Builder effectiveCapabilities(List<String> names) {
            this.effectiveCapabilities = List.copyOf(names);
            return this;
        }

        public Builder permittedCapabilities(List<String> names) {
            this.permittedCapabilities = List.copyOf(names);
            return this;
        }

        public Builder noNewPrivs(boolean noNewPrivs) {
            this.noNewPrivs = noNewPrivs;
            return this;
        }

        public Builder seccomp(SeccompMode seccomp) {
            this.seccomp = seccomp;
            return this;
        }

        /** @param lsm {@code apparmor}, {@code selinux}, ... or null when unknown */
        public Builder lsm(String lsm, String label) {
            this.lsm = lsm;
            this.lsmLabel = label;
            return this;
        }

        public SecurityContext build() {
            return new SecurityContext(this);
        }
    }
}
