package io.execguard.core.diagnose;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import io.execguard.core.inspect.BoundedReader;
import io.execguard.core.inspect.ElfDescription;
import io.execguard.core.inspect.ElfHeader;
import io.execguard.core.inspect.ProgramHeader;
import io.execguard.core.platform.ElfMachines;
import io.execguard.core.platform.KernelAbi;
import io.execguard.core.platform.MountEntry;
import java.io.IOException;
import java.util.Optional;

/**
 * The dynamic loader named by PT_INTERP, checked as {@code load_elf_binary} does before the point of no return:
 * {@code open_exec} (exists, regular, not noexec, executable), its ELF header read in full (EIO when short), ELF
 * magic and machine (ELIBBAD), and its program headers (ELIBBAD).
 */
final class LoaderCheck {
    private LoaderCheck() {
    }

    /** The failure for {@code loader}, or null when the kernel accepts it. */
    static Verdict check(Inspection in, String path, String loader, ElfDescription d, boolean is64,
                         boolean nativeMachine) throws IOException {
        if (loader.isEmpty()) {
            // An in-kernel lookup of "" resolves to the working directory, which cannot be executed.
            return invalid(path, loader, "is empty (PT_INTERP starts with NUL), so the kernel opens the working "
                    + "directory", Errno.EACCES);
        }
        Lookup l = in.lookup(loader);
        if (!l.isFound()) {
            return missing(in, path, loader, d, l);
        }
        FileAttributes a = l.attributes().orElseThrow();
        if (a.type() != FileType.REGULAR) {
            return invalid(path, loader, "is a " + (a.type() == FileType.DIRECTORY ? "directory" : "special file")
                    + ", not a loader", Errno.EACCES);
        }
        Optional<MountEntry> mount = in.mountOf(l.resolvedPath(), a);
        if (mount.isPresent() && mount.get().noexec()) {
            return invalid(path, loader, "lives on the noexec mount " + mount.get().mountPoint(), Errno.EACCES);
        }
        if (!in.mayExecute(a)) {
            return invalid(path, loader, "is not executable (mode " + a.modeOctal() + ")", Errno.EACCES);
        }
        try (OpenedFile f = in.tree().open(l)) {
            return header(in, path, loader, BoundedReader.open(f), is64, nativeMachine);
        } catch (IOException e) {
            return invalid(path, loader, "cannot be read (" + e.getMessage() + ")", Errno.EACCES);
        }
    }

    private static Verdict header(Inspection in, String path, String loader, BoundedReader r, boolean is64,
                                  boolean nativeMachine) throws IOException {
        KernelAbi abi = in.abi().orElseThrow();
        int headerSize = is64 ? ElfHeader.SIZE_64 : ElfHeader.SIZE_32;
        if (r.size() < headerSize) {
            return invalid(path, loader, "is only " + r.size() + " bytes, shorter than an ELF header", Errno.EIO);
        }
        byte[] head = r.kernelBuffer();
        if (!ElfHeader.hasMagic(head)) {
            return invalid(path, loader, "is not an ELF file", Errno.ELIBBAD);
        }
        ElfHeader h = ElfHeader.parse(head, is64, abi.order());
        boolean machineOk = nativeMachine ? abi.acceptsNative(h.machine(), h.identClass())
                : abi.acceptsCompat(h.machine());
        if (!machineOk) {
            return invalid(path, loader, "is built for " + ElfMachines.name(h.machine()) + ", not for this "
                    + in.platform() + " kernel", Errno.ELIBBAD);
        }
        long size = (long) h.phentsize() * h.phnum();
        if (h.phentsize() != h.expectedPhentsize() || size == 0 || size > ElfCheck.PAGE_SIZE) {
            return invalid(path, loader, "has invalid program headers", Errno.ELIBBAD);
        }
        byte[] table = ElfCheck.readWithin(r, h.phoff(), (int) size);
        if (table.length != size) {
            return invalid(path, loader, "is truncated before the end of its program headers", Errno.ELIBBAD);
        }
        if (ElfCheck.kernelFaultsLoading(ProgramHeader.parseAll(table, h.phnum(), is64, abi.order()), r.size())) {
            // The loader is mapped after the point of no return: a fault there kills the new image.
            return invalid(path, loader, "is truncated (" + r.size() + " bytes): the kernel faults while loading it"
                    + " and kills the new program with SIGSEGV", Errno.SIGSEGV);
        }
        return null;
    }

    private static Verdict invalid(String path, String loader, String why, Errno errno) {
        return Verdict.of(Cause.ELF_INTERPRETER_INVALID, path + " needs the dynamic loader \"" + loader + "\", which "
                + why + ".").errno(errno)
                .evidence("loader", Evidence.builder().put("path", loader).put("problem", why).build());
    }

    private static Verdict missing(Inspection in, String path, String loader, ElfDescription d, Lookup l) {
        Errno errno;
        switch (l.status()) {
            case NOT_DIRECTORY:
                errno = Errno.ENOTDIR;
                break;
            case LOOP:
                errno = Errno.ELOOP;
                break;
            case ACCESS_DENIED:
                return invalid(path, loader, "sits in a directory this user may not search", Errno.EACCES);
            default:
                errno = Errno.ENOENT;
        }
        String libc = d.libc();
        String flavour = libc.equals("glibc") || libc.equals("musl") ? libc + " " : "";
        String context = systemHint(in, libc);
        return Verdict.of(Cause.ELF_INTERPRETER_MISSING, path + " needs the " + flavour + "dynamic loader " + loader
                + ", which does not exist here" + context + "; execve reports \"No such file or directory\" although "
                + path + " exists.").errno(errno).remediation(remediation(libc, d));
    }

    /** Names the C library this tree does have, when it is the other flavour: the classic Alpine/glibc mix-up. */
    private static String systemHint(Inspection in, String libc) {
        String arch = in.platform().architecture();
        if (libc.equals("glibc") && exists(in, "/lib/ld-musl-" + muslArch(arch) + ".so.1")) {
            return " (this is a musl system such as Alpine)";
        }
        if (libc.equals("musl") && (exists(in, "/lib64/ld-linux-x86-64.so.2") || exists(in, "/lib/ld-linux-aarch64.so.1")
                || exists(in, "/lib/ld-linux-armhf.so.3"))) {
            return " (this is a glibc system)";
        }
        return "";
    }

    private static boolean exists(Inspection in, String path) {
        return in.lookup(path).isFound();
    }

    private static String muslArch(String ociArch) {
        switch (ociArch) {
            case "amd64":
                return "x86_64";
            case "arm64":
                return "aarch64";
            case "386":
                return "i386";
            case "arm":
                return "armhf";
            default:
                return ociArch;
        }
    }

    private static String remediation(String libc, ElfDescription d) {
        if (d.header().identClass() == 1 && d.header().machine() == ElfMachines.EM_386) {
            return "Install the 32-bit C library (e.g. dpkg --add-architecture i386 && apt-get install libc6:i386), "
                    + "or use a 64-bit build.";
        }
        switch (libc) {
            case "glibc":
                return "Use a musl or static build for this image, switch to a glibc-based image (Debian, Ubuntu,"
                        + " distroless), or install compatibility (apk add gcompat).";
            case "musl":
                return "Use a glibc or static build, switch to an Alpine-based image, or install musl (apt-get install"
                        + " musl).";
            case "nix":
                return "Build the binary outside Nix or bundle its store closure; Nix binaries need /nix/store.";
            default:
                return Cause.ELF_INTERPRETER_MISSING.remediation();
        }
    }
}
