package io.execguard.core.platform;

import java.util.Optional;

/**
 * The ELF {@code e_machine} numbers execguard knows: their short names (as {@code file(1)} prints them) and the OCI
 * platform a binary of that machine, class and byte order runs on (see exec-failures.md, section 3).
 */
public final class ElfMachines {
    public static final int EM_SPARC = 2;
    public static final int EM_386 = 3;
    public static final int EM_68K = 4;
    public static final int EM_486 = 6;
    public static final int EM_MIPS = 8;
    public static final int EM_PARISC = 15;
    public static final int EM_PPC = 20;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_ARM = 40;
    public static final int EM_SH = 42;
    public static final int EM_SPARCV9 = 43;
    public static final int EM_IA_64 = 50;
    public static final int EM_X86_64 = 62;
    public static final int EM_AVR = 83;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;
    public static final int EM_BPF = 247;
    public static final int EM_LOONGARCH = 258;
    public static final int EM_ALPHA = 0x9026;

    private ElfMachines() {
    }

    /** A short human name for {@code machine}, e.g. {@code x86-64}, {@code AArch64}, or {@code machine 1234}. */
    public static String name(int machine) {
        switch (machine) {
            case EM_SPARC:
                return "SPARC";
            case EM_386:
                return "Intel 80386";
            case EM_68K:
                return "Motorola m68k";
            case EM_486:
                return "Intel 80486";
            case EM_MIPS:
                return "MIPS";
            case EM_PARISC:
                return "PA-RISC";
            case EM_PPC:
                return "PowerPC";
            case EM_PPC64:
                return "64-bit PowerPC";
            case EM_S390:
                return "IBM S/390";
            case EM_ARM:
                return "ARM";
            case EM_SH:
                return "Renesas SH";
            case EM_SPARCV9:
                return "SPARC V9";
            case EM_IA_64:
                return "IA-64";
            case EM_X86_64:
                return "x86-64";
            case EM_AVR:
                return "Atmel AVR";
            case EM_AARCH64:
                return "AArch64";
            case EM_RISCV:
                return "RISC-V";
            case EM_BPF:
                return "eBPF";
            case EM_LOONGARCH:
                return "LoongArch";
            case EM_ALPHA:
                return "Alpha";
            default:
                return "machine " + machine;
        }
    }

    /**
     * The Linux OCI platform for an ELF of {@code machine} with the given class and byte order.
     *
     * @param armVariant the ARM level from {@code .ARM.attributes} (v5..v8), or null when unknown
     */
    public static Optional<Platform> platform(int machine, boolean is64, boolean msb, String armVariant) {
        String arch = architecture(machine, is64, msb);
        if (arch == null) {
            return Optional.empty();
        }
        return Optional.of(Platform.of("linux", arch, "arm".equals(arch) ? armVariant : null));
    }

    private static String architecture(int machine, boolean is64, boolean msb) {
        switch (machine) {
            case EM_X86_64:
                return is64 ? "amd64" : null;
            case EM_386:
            case EM_486:
                return is64 ? null : "386";
            case EM_AARCH64:
                return is64 ? (msb ? "arm64be" : "arm64") : null;
            case EM_ARM:
                return is64 ? null : (msb ? "armbe" : "arm");
            case EM_PPC64:
                return is64 ? (msb ? "ppc64" : "ppc64le") : null;
            case EM_PPC:
                return is64 ? null : (msb ? "ppc" : "ppcle");
            case EM_S390:
                return is64 ? "s390x" : "s390";
            case EM_RISCV:
                return is64 ? "riscv64" : "riscv32";
            case EM_MIPS:
                return is64 ? (msb ? "mips64" : "mips64le") : (msb ? "mips" : "mipsle");
            case EM_LOONGARCH:
                return is64 ? "loong64" : "loong32";
            case EM_SPARCV9:
                return "sparc64";
            case EM_SPARC:
                return "sparc";
            default:
                return null;
        }
    }
}
