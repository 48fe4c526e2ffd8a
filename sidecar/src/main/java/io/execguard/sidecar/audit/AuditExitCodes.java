package io.execguard.sidecar.audit;

import io.execguard.sidecar.audit.netlink.AuditException;
import java.io.PrintWriter;

/** Exit codes of the audit commands, and the one-line report of an {@link AuditException}. */
final class AuditExitCodes {
    static final int NO_PRIVILEGE = 3;
    static final int UNAVAILABLE = 4;
    static final int REFUSED = 5;

    private AuditExitCodes() {
    }

    static int of(AuditException.Problem problem) {
        switch (problem) {
            case MISSING_CAP_AUDIT_CONTROL:
            case MISSING_CAP_AUDIT_READ:
            case NOT_INITIAL_PID_NAMESPACE:
            case NOT_INITIAL_USER_NAMESPACE:
            case NOT_INITIAL_NETWORK_NAMESPACE:
                return NO_PRIVILEGE;
            case AUDIT_UNAVAILABLE:
            case NATIVE_UNAVAILABLE:
                return UNAVAILABLE;
            default:
                return REFUSED;
        }
    }

    /** Prints {@code e}'s sentence (no stack trace: these are conditions of the machine, not bugs) and its code. */
    static int report(PrintWriter err, String command, AuditException e) {
        err.println("execguard " + command + ": " + e.getMessage());
        err.flush();
        return of(e.problem());
    }
}
