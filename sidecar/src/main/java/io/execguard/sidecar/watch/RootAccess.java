package io.execguard.sidecar.watch;

import io.execguard.sidecar.audit.netlink.AuditPreconditions;
import java.util.Optional;

/**
 * What watch's own privileges let it open, and how to say what is missing. Opening {@code /proc/PID/root} of another
 * process passes the kernel's ptrace access check (PTRACE_MODE_READ_FSCREDS) only for the same uid holding a superset
 * of that process's capabilities, or with CAP_SYS_PTRACE; watch never attaches to a process or reads its memory.
 */
final class RootAccess {
    static final int CAP_SYS_PTRACE = 19;

    private final boolean sysPtrace;

    private RootAccess(boolean sysPtrace) {
        this.sysPtrace = sysPtrace;
    }

    /** The privileges of this process, read from {@code /proc/self/status}. */
    static RootAccess ofThisProcess() {
        return new RootAccess(AuditPreconditions.ofThisProcess().hasCapability(CAP_SYS_PTRACE));
    }

    /** Explicit privileges (tests). */
    static RootAccess of(boolean sysPtrace) {
        return new RootAccess(sysPtrace);
    }

    boolean hasSysPtrace() {
        return sysPtrace;
    }

    /**
     * Why a root could not be opened, in words that name the missing privilege when the kernel refused it, e.g.
     * {@code could not be opened (EACCES): opening another user's ...}; the caller says whose root it was.
     */
    String whyUnopened(RootUnavailableException e) {
        if (e.vanished()) {
            return "could not be opened (" + e.errnoName() + "): the process was exiting or gone";
        }
        if (!e.refused()) {
            return "could not be opened: " + e.getMessage();
        }
        return "could not be opened (" + e.errnoName() + "): " + (sysPtrace
                ? "the kernel refused it although watch has CAP_SYS_PTRACE (a security module such as AppArmor,"
                        + " SELinux or Yama may deny it)"
                : "opening another user's or a more privileged process's root needs CAP_SYS_PTRACE, which watch"
                        + " lacks (the kernel's ptrace access check)");
    }

    /** The start-up notice when CAP_SYS_PTRACE is missing; empty when watch has it. */
    Optional<String> startupNotice(Scope scope) {
        if (sysPtrace) {
            return Optional.empty();
        }
        return Optional.of("no CAP_SYS_PTRACE: the kernel refuses /proc/PID/root of processes of other users or with"
                + " capabilities watch lacks, so " + (scope == Scope.POD
                        ? "failures that may lie in such a process's root cannot be attributed to this pod: they are"
                                + " not written, but counted in execguard_exec_failures_unattributed_total and"
                                + " logged (grant SYS_PTRACE, or run the app as watch's uid without extra"
                                + " capabilities)"
                        : "their failures are written without a diagnosis (execguard.details.diagnosis_skipped says"
                                + " why; grant SYS_PTRACE to diagnose them)"));
    }
}
