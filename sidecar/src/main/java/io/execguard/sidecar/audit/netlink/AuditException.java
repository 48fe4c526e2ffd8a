package io.execguard.sidecar.audit.netlink;

import java.io.IOException;
import java.util.Objects;

/**
 * The audit subsystem refused or failed a request. {@link #problem()} says which precondition is missing, so a
 * command can print {@link #getMessage()} (one sentence, with the fix) and exit with a specific code.
 */
public final class AuditException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, from the caller's point of view. */
    public enum Problem {
        /** The kernel has no audit support (not compiled in, or {@code audit=0} at boot). */
        AUDIT_UNAVAILABLE,
        /** JNA's native library cannot be loaded (read-only or noexec temporary directory), so no socket at all. */
        NATIVE_UNAVAILABLE,
        /** Control messages need CAP_AUDIT_CONTROL. */
        MISSING_CAP_AUDIT_CONTROL,
        /** The multicast stream needs CAP_AUDIT_READ. */
        MISSING_CAP_AUDIT_READ,
        /** Control messages are only accepted from the initial pid namespace. */
        NOT_INITIAL_PID_NAMESPACE,
        /** Audit only talks to the initial user namespace. */
        NOT_INITIAL_USER_NAMESPACE,
        /** The kernel multicasts records only into the initial network namespace. */
        NOT_INITIAL_NETWORK_NAMESPACE,
        /** The audit configuration is locked ({@code enabled 2}) until reboot. */
        LOCKED,
        /** The kernel rejected the request for another reason; the message carries the errno. */
        REJECTED,
        /** The kernel did not answer in time, or answered something unexpected. */
        PROTOCOL
    }

    private final Problem problem;
    private final int errno;

    public AuditException(Problem problem, String message, int errno) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.errno = errno;
    }

    public Problem problem() {
        return problem;
    }

    /** The errno the kernel returned, or 0 when the failure was not an errno. */
    public int errno() {
        return errno;
    }
}
