package io.execguard.sidecar.audit.exec;

import java.util.Optional;

/**
 * The execve and execveat syscall numbers of each audit architecture, so that a SYSCALL record can be recognised
 * as an exec whatever ABI the caller used (a 32-bit process on a 64-bit kernel reports arch=40000003 and the
 * i386 numbers).
 */
public enum ExecSyscalls {
    X86_64(0xC000003EL, "b64", "amd64", 59, 322),
    I386(0x40000003L, "b32", "386", 11, 358),
    AARCH64(0xC00000B7L, "b64", "arm64", 221, 281),
    ARM(0x40000028L, "b32", "arm", 11, 387),
    PPC64LE(0xC0000015L, "b64", "ppc64le", 11, 362),
    S390X(0x80000016L, "b64", "s390x", 11, 354),
    RISCV64(0xC00000F3L, "b64", "riscv64", 221, 281);

    private final long auditArch;
    private final String bits;
    private final String platform;
    private final int execve;
    private final int execveat;

    ExecSyscalls(long auditArch, String bits, String platform, int execve, int execveat) {
        this.auditArch = auditArch;
        this.bits = bits;
        this.platform = platform;
        this.execve = execve;
        this.execveat = execveat;
    }

    /** The architecture for a record's {@code arch=} value. */
    public static Optional<ExecSyscalls> ofAuditArch(long arch) {
        for (ExecSyscalls a : values()) {
            if (a.auditArch == arch) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** {@code execve} or {@code execveat}, or empty for any other syscall. */
    public Optional<String> execName(int syscall) {
        if (syscall == execve) {
            return Optional.of("execve");
        }
        if (syscall == execveat) {
            return Optional.of("execveat");
        }
        return Optional.empty();
    }

    /** auditctl's {@code arch=} name for rules: b64 or b32. */
    public String bits() {
        return bits;
    }

    /** The OCI platform architecture name. */
    public String platform() {
        return platform;
    }

    public long auditArch() {
        return auditArch;
    }
}
