package io.execguard.sidecar.audit.netlink;

import io.execguard.linux.ErrnoException;
import io.execguard.linux.LinuxErrno;
import io.execguard.linux.NativeUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Optional;

/**
 * What the audit subsystem requires of its caller, read from {@code /proc/self}: capabilities and namespaces. The
 * kernel answers every missing precondition of a control message with the same EPERM (and a foreign user namespace
 * with ECONNREFUSED, on purpose, to look like "no audit"), so the errno alone cannot tell the user what to fix.
 */
public final class AuditPreconditions {
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_AUDIT_CONTROL = 30;
    static final int CAP_AUDIT_READ = 37;
    // Fixed inode numbers of the initial namespaces (include/linux/proc_ns.h). The network one exists since 6.x;
    // older kernels number init_net dynamically, so its check falls back to comparing with pid 1.
    private static final long PROC_PID_INIT_INO = 0xEFFFFFFCL;
    private static final long PROC_USER_INIT_INO = 0xEFFFFFFDL;
    private static final long PROC_NET_INIT_INO = 0xEFFFFFF9L;

    private final Path procSelf;

    private AuditPreconditions(Path procSelf) {
        this.procSelf = procSelf;
    }

    /** The preconditions of this process. */
    public static AuditPreconditions ofThisProcess() {
        return new AuditPreconditions(Path.of("/proc/self"));
    }

    /** The preconditions read from a directory laid out like {@code /proc/self} (tests). */
    static AuditPreconditions of(Path procSelf) {
        return new AuditPreconditions(procSelf);
    }

    /** True when the effective capability set holds {@code capability} (unknown counts as held). */
    public boolean hasCapability(int capability) {
        try {
            for (String line : Files.readAllLines(procSelf.resolve("status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (effective & (1L << capability)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Fall through: without /proc we cannot tell, and guessing "missing" would mislead.
        }
        return true;
    }

    /** True unless this process demonstrably lives in a child pid namespace. */
    public boolean inInitialPidNamespace() {
        return namespaceInode("pid").map(ino -> ino == PROC_PID_INIT_INO).orElse(true);
    }

    /** True unless this process demonstrably lives in a child user namespace. */
    public boolean inInitialUserNamespace() {
        return namespaceInode("user").map(ino -> ino == PROC_USER_INIT_INO).orElse(true);
    }

    /**
     * Whether this process is in the initial network namespace, the only one the kernel multicasts audit records
     * to; empty when that cannot be determined. Recent kernels give init_net a fixed inode number (seen on 6.18);
     * older ones number it dynamically, and then only a comparison with pid 1 (when visible) can tell.
     */
    public Optional<Boolean> inInitialNetworkNamespace() {
        Optional<Long> mine = namespaceInode("net");
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        if (mine.get() == PROC_NET_INIT_INO) {
            return Optional.of(true);
        }
        if (kernelAtLeast(6, 18)) {
            return Optional.of(false);
        }
        Optional<Long> init = inode(procSelf.resolveSibling("1").resolve("ns/net"));
        if (init.isPresent() && inInitialPidNamespace()) {
            return Optional.of(init.get().equals(mine.get()));
        }
        return Optional.empty();
    }

    private boolean kernelAtLeast(int major, int minor) {
        try {
            String[] v = Files.readString(procSelf.resolveSibling("sys/kernel/osrelease")).trim().split("[.-]");
            int ma = Integer.parseInt(v[0]);
            int mi = Integer.parseInt(v[1]);
            return ma > major || (ma == major && mi >= minor);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Optional<Long> namespaceInode(String type) {
        return inode(procSelf.resolve("ns").resolve(type));
    }

    private static Optional<Long> inode(Path link) {
        try {
            String target = Files.readSymbolicLink(link).toString();
            int open = target.indexOf('[');
            int close = target.indexOf(']');
            return open < 0 || close < open ? Optional.empty()
                    : Optional.of(Long.parseLong(target.substring(open + 1, close)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Explains why opening the audit netlink socket failed. */
    AuditException explainSocketFailure(IOException failure) {
        if (failure instanceof NativeUnavailableException) {
            return new AuditException(AuditException.Problem.NATIVE_UNAVAILABLE, failure.getMessage(), 0);
        }
        if (failure instanceof ErrnoException) {
            return explainSocketFailure((ErrnoException) failure);
        }
        return new AuditException(AuditException.Problem.REJECTED,
                "Cannot open the audit netlink socket (" + failure.getMessage() + ").", 0);
    }

    private AuditException explainSocketFailure(ErrnoException e) {
        if (e.errno() == LinuxErrno.EPROTONOSUPPORT || e.errno() == LinuxErrno.EAFNOSUPPORT) {
            return new AuditException(AuditException.Problem.AUDIT_UNAVAILABLE,
                    "This kernel has no audit support (" + e.getMessage() + "): it was built without CONFIG_AUDIT "
                            + "or booted with audit=0.", e.errno());
        }
        return new AuditException(AuditException.Problem.REJECTED,
                "Cannot open the audit netlink socket (" + e.getMessage() + ").", e.errno());
    }

    /** Explains a failed control request ({@code what}, e.g. "read the audit status"). */
    AuditException explainControlFailure(int errno, String what, boolean locked) {
        String failed = "Cannot " + what + " (" + LinuxErrno.describe(errno) + "): ";
        if (errno == LinuxErrno.ECONNREFUSED || !inInitialUserNamespace()) {
            return new AuditException(AuditException.Problem.NOT_INITIAL_USER_NAMESPACE, failed
                    + "the kernel only accepts audit requests from the initial user namespace; run on the host, "
                    + "not in a user namespace or rootless container.", errno);
        }
        if (errno == LinuxErrno.EPERM && !inInitialPidNamespace()) {
            return new AuditException(AuditException.Problem.NOT_INITIAL_PID_NAMESPACE, failed
                    + "the kernel only accepts audit control requests from the initial pid namespace; run on the "
                    + "host or in a pod with hostPID: true.", errno);
        }
        if (errno == LinuxErrno.EPERM && !hasCapability(CAP_AUDIT_CONTROL)) {
            return new AuditException(AuditException.Problem.MISSING_CAP_AUDIT_CONTROL, failed
                    + "this process lacks CAP_AUDIT_CONTROL; run as root or grant that capability.", errno);
        }
        if (errno == LinuxErrno.EPERM && locked) {
            return new AuditException(AuditException.Problem.LOCKED, failed
                    + "the audit configuration is locked (enabled 2) until the next reboot.", errno);
        }
        return new AuditException(AuditException.Problem.REJECTED, failed + "the kernel refused the request.",
                errno);
    }

    /** Explains a failed bind to the multicast group. */
    AuditException explainMulticastFailure(ErrnoException e) {
        if (e.errno() == LinuxErrno.EPERM && !hasCapability(CAP_AUDIT_READ)) {
            return new AuditException(AuditException.Problem.MISSING_CAP_AUDIT_READ,
                    "Cannot read the audit stream (" + e.errnoName() + "): this process lacks CAP_AUDIT_READ; run as "
                            + "root or grant that capability.", e.errno());
        }
        if (e.errno() == LinuxErrno.EPERM && !inInitialUserNamespace()) {
            return new AuditException(AuditException.Problem.NOT_INITIAL_USER_NAMESPACE,
                    "Cannot read the audit stream (" + e.errnoName() + "): CAP_AUDIT_READ only counts in the "
                            + "initial user namespace; run on the host, not in a user namespace.", e.errno());
        }
        return new AuditException(AuditException.Problem.REJECTED,
                "Cannot join the audit multicast group (" + e.getMessage() + ").", e.errno());
    }

}
