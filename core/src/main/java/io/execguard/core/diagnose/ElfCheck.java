package io.execguard.core.diagnose;

import io.execguard.core.inspect.BoundedReader;
import io.execguard.core.inspect.ElfDescription;
import io.execguard.core.inspect.ElfHeader;
import io.execguard.core.inspect.ProgramHeader;
import io.execguard.core.platform.CompatSupport;
import io.execguard.core.platform.KernelAbi;
import io.execguard.core.platform.Platform;
import java.io.IOException;
import java.util.List;

/**
 * What the kernel's ELF loaders ({@code load_elf_binary}, native and compat) do with an ELF file, up to the point of
 * no return: e_type, e_machine in the kernel's own byte order, program header sanity ({@code load_elf_phdrs}),
 * PT_INTERP ({@link LoaderCheck}), and what happens right after (segments past the end of the file, no entry point).
 */
final class ElfCheck {
    /** ELF_MIN_ALIGN on 4 KiB-page kernels: the most program header bytes load_elf_phdrs accepts. */
    static final int PAGE_SIZE = 4096;
    /** PATH_MAX: the longest PT_INTERP the kernel accepts. */
    static final int PATH_MAX = 4096;

    private ElfCheck() {
    }

    static Verdict check(Inspection in, String path, BoundedReader r) throws IOException {
        ElfDescription d = ElfDescription.describe(r);
        Verdict v = verdict(in, path, r, d);
        return v.evidence("elf", evidence(d));
    }

    /** The documented {@code elf.*} evidence for a description. */
    static Evidence evidence(ElfDescription d) {
        Evidence.Builder b = Evidence.builder().put("class", d.elfClass()).put("data", d.data()).put("type", d.type())
                .put("machine", d.machine()).put("e_machine", (long) d.header().machine());
        d.platform().ifPresent(p -> b.put("platform", p.toString()));
        d.interpreter().ifPresent(i -> b.put("interpreter", i));
        b.put("libc", d.libc());
        if (d.header().machine() == io.execguard.core.platform.ElfMachines.EM_ARM) {
            b.put("float_abi", d.armHardFloat() ? "hard" : "soft");
        }
        return b.build();
    }

    private static Verdict verdict(Inspection in, String path, BoundedReader r, ElfDescription d) throws IOException {
        if (in.abi().isEmpty()) {
            return unknownAbi(in, path, d);
        }
        KernelAbi abi = in.abi().get();
        byte[] buffer = r.kernelBuffer();
        ElfHeader wide = ElfHeader.parse(buffer, abi.is64(), abi.order());
        boolean nativeMachine = abi.acceptsNative(wide.machine(), wide.identClass());
        boolean compatMachine = !nativeMachine && abi.acceptsCompat(wide.machine());
        if (!nativeMachine && !compatMachine) {
            return foreign(in, path, d);
        }
        ElfHeader k = nativeMachine ? wide : ElfHeader.parse(buffer, false, abi.order());
        if (k.type() != ElfHeader.ET_EXEC && k.type() != ElfHeader.ET_DYN) {
            return notExecutable(path, d);
        }
        if (compatMachine) {
            CompatSupport compat = in.compat();
            if (!compat.enabled()) {
                return Verdict.of(Cause.COMPAT_DISABLED, path + " is an " + d.phrase() + ", and this "
                        + in.platform() + " kernel runs no 32-bit programs (" + compat.source() + ").")
                        .evidence("compat", Evidence.builder().put("enabled", false)
                                .put("source", compat.source()).build());
            }
        }
        return programHeaders(in, path, r, d, k, abi, nativeMachine);
    }

    private static Verdict programHeaders(Inspection in, String path, BoundedReader r, ElfDescription d, ElfHeader k,
                                          KernelAbi abi, boolean nativeMachine) throws IOException {
        int expected = k.expectedPhentsize();
        if (k.phentsize() != expected && isX32(abi, d)) {
            return Verdict.of(Cause.COMPAT_DISABLED, path + " is an x32-ABI program (ELF 32-bit for x86-64), which "
                    + "this kernel reads as a 64-bit ELF and rejects: x32 needs CONFIG_X86_X32_ABI.")
                    .remediation("Use an x86-64 (64-bit) or i386 build of the program.");
        }
        if (k.phentsize() != expected) {
            return corrupt(path, "its program header entry size (e_phentsize) is " + k.phentsize()
                    + " bytes where the kernel expects " + expected);
        }
        long size = (long) expected * k.phnum();
        if (size == 0) {
            return corrupt(path, "it has no program headers (e_phnum is 0)");
        }
        if (size > PAGE_SIZE) {
            return corrupt(path, "its " + k.phnum() + " program headers take " + size
                    + " bytes, more than the kernel's limit of " + PAGE_SIZE);
        }
        byte[] table = readWithin(r, k.phoff(), (int) size);
        if (table.length != size) {
            return Verdict.of(Cause.ELF_TRUNCATED, path + " is truncated: its program headers (offset "
                    + Long.toUnsignedString(k.phoff()) + ") lie past the end of the " + r.size() + "-byte file.")
                    .errno(Errno.ENOEXEC);
        }
        List<ProgramHeader> phdrs = ProgramHeader.parseAll(table, k.phnum(), k.is64(), abi.order());
        for (ProgramHeader p : phdrs) {
            if (p.type() == ProgramHeader.PT_INTERP) {
                Verdict v = interpreter(in, path, r, d, p, k.is64(), nativeMachine);
                if (v != null) {
                    return v;
                }
                break;
            }
        }
        return afterPointOfNoReturn(in, path, r, d, k, phdrs, nativeMachine);
    }

    /** ELFCLASS32 with EM_X86_64: the x32 ABI, which only kernels built with CONFIG_X86_X32_ABI run. */
    private static boolean isX32(KernelAbi abi, ElfDescription d) {
        return abi.platform().architecture().equals("amd64") && d.header().identClass() == 1
                && d.header().machine() == io.execguard.core.platform.ElfMachines.EM_X86_64;
    }

    private static Verdict interpreter(Inspection in, String path, BoundedReader r, ElfDescription d, ProgramHeader p,
                                       boolean is64, boolean nativeMachine) throws IOException {
        if (p.filesz() < 2 || p.filesz() > PATH_MAX) {
            return corrupt(path, "its PT_INTERP entry is " + Long.toUnsignedString(p.filesz())
                    + " bytes long; the kernel accepts 2 to " + PATH_MAX);
        }
        byte[] bytes = readWithin(r, p.offset(), (int) p.filesz());
        if (bytes.length != p.filesz()) {
            return Verdict.of(Cause.ELF_TRUNCATED, path + " is truncated: its loader path (PT_INTERP at offset "
                    + Long.toUnsignedString(p.offset()) + ") lies past the end of the " + r.size() + "-byte file.")
                    .errno(Errno.EIO);
        }
        if (bytes[bytes.length - 1] != 0) {
            return corrupt(path, "its PT_INTERP loader path is not NUL-terminated");
        }
        return LoaderCheck.check(in, path, ElfDescription.cString(bytes), d, is64, nativeMachine);
    }

    /**
     * Faults past the point of no return. When the kernel itself must zero the tail of a writable segment's last file
     * page and that page lies past the end of the file ({@code padzero} in {@code elf_load} faults), exec fails late
     * and the new image gets SIGSEGV. Other missing file pages fault only when the program touches them (SIGBUS).
     */
    private static Verdict afterPointOfNoReturn(Inspection in, String path, BoundedReader r, ElfDescription d,
                                                ElfHeader k, List<ProgramHeader> phdrs, boolean nativeMachine) {
        long size = r.size();
        long needed = 0;
        for (ProgramHeader p : phdrs) {
            if (p.type() == ProgramHeader.PT_LOAD) {
                long end = p.offset() + p.filesz();
                boolean overflow = p.offset() < 0 || p.filesz() < 0 || end < 0;
                needed = overflow ? Long.MAX_VALUE : Math.max(needed, end);
            }
        }
        boolean kernelFaults = kernelFaultsLoading(phdrs, size);
        if (needed > size) {
            String need = needed == Long.MAX_VALUE ? "more bytes than a file can hold" : needed + " bytes";
            String start = path + " is truncated: it has " + size + " bytes but its loadable segments need " + need;
            if (kernelFaults) {
                return Verdict.of(Cause.ELF_TRUNCATED, start + "; execve starts it and the kernel kills it with "
                        + "SIGSEGV while loading.");
            }
            return Verdict.of(Cause.ELF_TRUNCATED, start + "; execve succeeds, but the program is killed (SIGBUS) "
                    + "as soon as it touches the missing part.").errno(null);
        }
        boolean entry = false;
        for (ProgramHeader p : phdrs) {
            entry |= p.executableContains(k.entry());
        }
        if (!entry) {
            return Verdict.of(Cause.ELF_NOT_EXECUTABLE, path + " has no entry point in executable code (e_entry 0x"
                    + Long.toHexString(k.entry()) + "), as shared libraries do; execve starts it and it is killed "
                    + "at once.").errno(Errno.SIGSEGV)
                    .remediation("Run the program that uses this library, not the library itself.");
        }
        return ok(in, path, d, nativeMachine);
    }

    /**
     * True when {@code elf_load} must zero the tail of a writable segment's last file page ({@code padzero}) and that
     * page lies past the end of a {@code size}-byte file: the kernel faults and the exec fails late (SIGSEGV).
     */
    static boolean kernelFaultsLoading(List<ProgramHeader> phdrs, long size) {
        for (ProgramHeader p : phdrs) {
            if (p.type() != ProgramHeader.PT_LOAD) {
                continue;
            }
            long end = p.offset() + p.filesz();
            boolean overflow = p.offset() < 0 || p.filesz() < 0 || end < 0;
            boolean zeroesTail = Long.compareUnsigned(p.memsz(), p.filesz()) > 0
                    && (p.flags() & ProgramHeader.PF_W) != 0 && end % PAGE_SIZE != 0;
            if (zeroesTail && (overflow || end - end % PAGE_SIZE >= size)) {
                return true;
            }
        }
        return false;
    }

    private static Verdict ok(Inspection in, String path, ElfDescription d, boolean nativeMachine) {
        String how = d.interpreter().map(i -> "loader " + i).orElse("statically linked");
        String compat = nativeMachine ? "" : " through 32-bit compat support (" + in.compat().source() + ")";
        return Verdict.of(Cause.OK, path + " is an " + d.phrase() + " (" + platformText(d) + ", " + how
                + ") and runs on " + in.platform() + compat + ".");
    }

    private static Verdict foreign(Inspection in, String path, ElfDescription d) {
        int type = d.header().type();
        if (type != ElfHeader.ET_EXEC && type != ElfHeader.ET_DYN) {
            return notExecutable(path, d);
        }
        String built = platformText(d);
        String hint = in.hostFactsApply() ? " and no binfmt_misc emulator is registered for it" : "";
        return Verdict.of(Cause.ARCH_MISMATCH, path + " is an " + d.phrase() + " (" + built + "), but this machine is "
                + in.platform() + hint + ".")
                .remediation("Use the " + in.platform() + " build of the program (docker buildx --platform "
                        + in.platform() + ", GOARCH, or the right release asset), or register a binfmt_misc emulator"
                        + " (qemu-user-static) for " + built + ".");
    }

    private static Verdict notExecutable(String path, ElfDescription d) {
        String what;
        switch (d.header().type()) {
            case ElfHeader.ET_REL:
                what = " is a relocatable object (a .o file): it must be linked into a program first.";
                break;
            case ElfHeader.ET_CORE:
                what = " is a core dump, not a program.";
                break;
            default:
                what = " is an ELF file of type " + d.type() + ", which the kernel does not execute.";
        }
        return Verdict.of(Cause.ELF_NOT_EXECUTABLE, path + what);
    }

    private static Verdict corrupt(String path, String why) {
        return Verdict.of(Cause.ELF_CORRUPT, path + " has invalid ELF headers: " + why + ".");
    }

    private static Verdict unknownAbi(Inspection in, String path, ElfDescription d) {
        if (d.platform().isPresent() && d.platform().get().matches(in.platform())) {
            return Verdict.of(Cause.OK, path + " is an " + d.phrase() + " built for " + in.platform()
                    + "; execguard does not model that kernel, so its loader was not checked.");
        }
        return foreign(in, path, d);
    }

    static String platformText(ElfDescription d) {
        return d.platform().map(Platform::toString).orElse(d.machine());
    }

    /** Reads {@code length} bytes at an unsigned {@code offset}; short (possibly empty) when past the end. */
    static byte[] readWithin(BoundedReader r, long offset, int length) throws IOException {
        if (offset < 0 || offset > r.size()) {
            return new byte[0];
        }
        return r.read(offset, length);
    }
}
