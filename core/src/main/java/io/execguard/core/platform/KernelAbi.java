package io.execguard.core.platform;

import java.nio.ByteOrder;
import java.util.Optional;

/**
 * How a Linux kernel for a platform reads ELF headers: which {@code e_machine} its native ELF loader accepts, in
 * which word size and byte order it reads the header (whatever the file's e_ident says), and which machine its compat
 * (32-bit) loader accepts. Mirrors {@code elf_check_arch} and {@code compat_elf_check_arch} of each architecture.
 */
public final class KernelAbi {
    private final Platform platform;
    private final int[] nativeMachines;
    private final boolean is64;
    private final ByteOrder order;
    private final boolean checksClass;
    private final int[] compatMachines;

    private KernelAbi(Platform platform, int[] nativeMachines, boolean is64, ByteOrder order, boolean checksClass,
                      int... compatMachines) {
        this.platform = platform;
        this.nativeMachines = nativeMachines;
        this.is64 = is64;
        this.order = order;
        this.checksClass = checksClass;
        this.compatMachines = compatMachines;
    }

    /** The kernel ABI of {@code platform}, when execguard knows it. */
    public static Optional<KernelAbi> of(Platform platform) {
        if (!"linux".equals(platform.os())) {
            return Optional.empty();
        }
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        ByteOrder be = ByteOrder.BIG_ENDIAN;
        switch (platform.architecture()) {
            case "amd64":
                // x86_64's elf_check_arch looks at e_machine only: EI_CLASS and EI_DATA are not checked.
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_X86_64), true, le, false,
                        ElfMachines.EM_386, ElfMachines.EM_486));
            case "386":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_386, ElfMachines.EM_486), false, le, false));
            case "arm64":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_AARCH64), true, le, false,
                        ElfMachines.EM_ARM));
            case "arm":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_ARM), false, le, false));
            case "ppc64le":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_PPC64), true, le, false));
            case "ppc64":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_PPC64), true, be, false));
            case "s390x":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_S390), true, be, true));
            case "riscv64":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_RISCV), true, le, true));
            case "mips64le":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_MIPS), true, le, true));
            case "mips64":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_MIPS), true, be, true));
            case "loong64":
                return Optional.of(new KernelAbi(platform, m(ElfMachines.EM_LOONGARCH), true, le, true));
            default:
                return Optional.empty();
        }
    }

    private static int[] m(int... machines) {
        return machines;
    }

    public Platform platform() {
        return platform;
    }

    /** The word size the native loader reads headers with. */
    public boolean is64() {
        return is64;
    }

    /** The byte order the kernel reads every header field with. */
    public ByteOrder order() {
        return order;
    }

    /** True when the native loader accepts {@code machine} (and, where the architecture checks it, the class). */
    public boolean acceptsNative(int machine, int identClass) {
        if (checksClass && identClass != (is64 ? 2 : 1)) {
            return false;
        }
        return contains(nativeMachines, machine);
    }

    /** True when the compat (32-bit) loader would accept {@code machine}, were compat support on. */
    public boolean acceptsCompat(int machine) {
        return contains(compatMachines, machine);
    }

    /** True when this architecture has a 32-bit compat loader at all. */
    public boolean hasCompat() {
        return compatMachines.length > 0;
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "KernelAbi[" + platform + "]";
    }
}
