package io.execguard.sidecar.audit.rule;

import java.util.Optional;

/**
 * A syscall ABI as audit rules name it ({@code -F arch=b64}): the ELF machine/class value the kernel compares
 * ({@code AUDIT_ARCH_*}) and that ABI's syscall numbers, which differ between ABIs (execve is 59 on x86_64, 11 on
 * i386, 221 on arm64).
 */
public enum AuditArch {
    X86_64(0xC000003E, 64, "x86_64", SyscallTable.X86_64),
    I386(0x40000003, 32, "i386", SyscallTable.I386),
    AARCH64(0xC00000B7, 64, "aarch64", SyscallTable.AARCH64),
    ARM(0x40000028, 32, "armeb", SyscallTable.ARM);

    private final int auditValue;
    private final int bits;
    private final String machine;
    private final SyscallTable syscalls;

    AuditArch(int auditValue, int bits, String machine, SyscallTable syscalls) {
        this.auditValue = auditValue;
        this.bits = bits;
        this.machine = machine;
        this.syscalls = syscalls;
    }

    /** The {@code AUDIT_ARCH_*} value, e.g. {@code 0xC000003E} for x86_64. */
    public int auditValue() {
        return auditValue;
    }

    /** The native 64-bit ABI of the machine this JVM runs on. */
    public static AuditArch host64() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") || arch.equals("arm64") ? AARCH64 : X86_64;
    }

    /** The 32-bit compat ABI of the machine this JVM runs on. */
    public static AuditArch host32() {
        return host64() == AARCH64 ? ARM : I386;
    }

    /** The ABI for {@code b64}/{@code b32} on this host, or a machine name such as {@code i386}. */
    public static Optional<AuditArch> parse(String name) {
        switch (name) {
            case "b64":
                return Optional.of(host64());
            case "b32":
                return Optional.of(host32());
            default:
                for (AuditArch a : values()) {
                    if (a.machine.equals(name)) {
                        return Optional.of(a);
                    }
                }
                return Optional.empty();
        }
    }

    /** The ABI with this {@code AUDIT_ARCH_*} value. */
    public static Optional<AuditArch> ofAuditValue(int value) {
        for (AuditArch a : values()) {
            if (a.auditValue == value) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** How {@code auditctl -l} names this ABI here: {@code b64}/{@code b32} for the host's own ABIs. */
    public String ruleName() {
        if (this == host64()) {
            return "b64";
        }
        if (this == host32()) {
            return "b32";
        }
        return machine;
    }

    /** The syscall's name in this ABI. */
    public Optional<String> syscallName(int number) {
        return syscalls.name(number);
    }

    /** The syscall's number in this ABI. */
    public Optional<Integer> syscallNumber(String name) {
        return syscalls.number(name);
    }

    public int bits() {
        return bits;
    }
}
