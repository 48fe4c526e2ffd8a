package io.execguard.core.diagnose;

import java.util.Optional;

/**
 * Why a file will or will not execute. The constant names are a contract: the agent, the sidecar, scan, event
 * consumers and users' alert rules key on them. Each constant carries the errno execve usually returns for it
 * (a diagnosis may name a more specific one), whether the intended program starts, and the generic summary
 * and remediation that a diagnosis refines with the facts of the file at hand.
 */
public enum Cause {
    OK(null, true,
            "The file is a valid executable for this platform.",
            "Nothing to do."),
    EMULATED(null, true,
            "The file is for another architecture and runs through a binfmt_misc emulator such as qemu.",
            "Nothing blocks it, but emulation is slow: ship a native build for this platform."),
    NOT_FOUND(Errno.ENOENT, false,
            "The file does not exist.",
            "Check the path, the working directory and PATH; in an image, check that the build copied the file."),
    IS_DIRECTORY(Errno.EACCES, false,
            "The path names a directory, not a program.",
            "Point the command at the program inside the directory."),
    NOT_REGULAR_FILE(Errno.EACCES, false,
            "The path names a FIFO, socket or device, which cannot be executed.",
            "Point the command at a regular executable file."),
    NO_EXECUTE_PERMISSION(Errno.EACCES, false,
            "The file has no execute permission for this user.",
            "Add the execute bit (chmod +x, or COPY --chmod=755 in a Dockerfile), or run it through its interpreter."),
    NOEXEC_MOUNT(Errno.EACCES, false,
            "The file lives on a filesystem mounted noexec.",
            "Move the program to a filesystem mounted without noexec, or remount (often /tmp or an emptyDir)."),
    /**
     * Never predicted from the file: only the errno the kernel returned says so (see {@link ObservedFailure}). Listed
     * with the open checks because execve refuses a file that is open for writing right after it opened it.
     */
    FILE_BUSY(Errno.ETXTBSY, false,
            "The program, or the #! interpreter or dynamic loader it names, was open for writing when it was executed.",
            "Run it only after the writer has closed it: wait for the copy, download or build to finish, and make sure"
                    + " no other process still holds a writable descriptor (often a child forked while it was open:"
                    + " open it with O_CLOEXEC). fuser or lsof on the file shows who holds it."),
    EMPTY_FILE(Errno.ENOEXEC, false,
            "The file is empty.",
            "The build or download produced no content: rebuild or fetch the file again."),
    ARCH_MISMATCH(Errno.ENOEXEC, false,
            "The binary is built for another CPU architecture.",
            "Build or pull the image for this platform (docker buildx --platform), or install a binfmt_misc emulator."),
    COMPAT_DISABLED(Errno.ENOEXEC, false,
            "The binary is 32-bit and this kernel does not run 32-bit programs.",
            "Use a 64-bit build, or enable 32-bit compat support (ia32_emulation) on the node."),
    BINFMT_INTERPRETER_MISSING(Errno.ENOENT, false,
            "A binfmt_misc handler claims the file but its interpreter does not exist here.",
            "Install the emulator in this mount namespace, or register the handler with the F (fix binary) flag."),
    ELF_NOT_EXECUTABLE(Errno.ENOEXEC, false,
            "The ELF file is not a program (a relocatable object or a core dump).",
            "Link the object into an executable, or point the command at the real program."),
    ELF_CORRUPT(Errno.ENOEXEC, false,
            "The ELF headers are invalid.",
            "The file is damaged: rebuild it or download it again and verify its checksum."),
    ELF_TRUNCATED(Errno.SIGSEGV, false,
            "The ELF file is truncated: exec starts it and the kernel kills it at once.",
            "The file is incomplete (interrupted copy or download): fetch it again and verify its checksum."),
    ELF_INTERPRETER_MISSING(Errno.ENOENT, false,
            "The dynamic loader the binary asks for does not exist here.",
            "Use a binary built for this libc (or a static build), or install the loader (e.g. gcompat on Alpine)."),
    ELF_INTERPRETER_INVALID(Errno.ELIBBAD, false,
            "The dynamic loader the binary asks for is not a valid loader for this platform.",
            "Reinstall the C library package that provides the loader."),
    SHEBANG_MISSING(Errno.ENOEXEC, false,
            "The file is a text script without a #! line.",
            "Add an interpreter line such as #!/bin/sh as the very first line."),
    SHEBANG_NOT_FIRST(Errno.ENOEXEC, false,
            "The script has a #! line, but not at the very start of the file.",
            "Move the #! line to the first line, with nothing (not even a blank line) before it."),
    SHEBANG_BOM(Errno.ENOEXEC, false,
            "A UTF-8 byte order mark comes before #!.",
            "Save the script as UTF-8 without BOM."),
    SHEBANG_UTF16(Errno.ENOEXEC, false,
            "The script is encoded as UTF-16.",
            "Save the script as UTF-8 (without BOM) or ASCII."),
    SHEBANG_EMPTY(Errno.ENOEXEC, false,
            "The #! line names no interpreter.",
            "Name the interpreter after #!, for example #!/bin/sh."),
    SHEBANG_TOO_LONG(Errno.ENOEXEC, false,
            "The #! line is longer than the kernel reads, so the interpreter path is cut.",
            "Shorten the interpreter path, or use #!/usr/bin/env NAME."),
    SHEBANG_CRLF(Errno.ENOENT, false,
            "The script has Windows (CRLF) line endings, so the interpreter name ends in a carriage return.",
            "Convert the script to LF line endings (dos2unix; git: core.autocrlf=input or .gitattributes eol=lf)."),
    SHEBANG_INTERPRETER_MISSING(Errno.ENOENT, false,
            "The interpreter named on the #! line does not exist here.",
            "Install the interpreter in the image, or change the #! line to one that exists."),
    SHEBANG_INTERPRETER_NOT_EXECUTABLE(Errno.EACCES, false,
            "The interpreter named on the #! line cannot be executed.",
            "Give the interpreter its execute bit, or point #! at a working interpreter."),
    SHEBANG_INTERPRETER_INVALID(Errno.ENOEXEC, false,
            "The interpreter named on the #! line cannot itself be executed on this platform.",
            "Point #! at a working interpreter built for this platform."),
    SHEBANG_LOOP(Errno.ELOOP, false,
            "The chain of #! interpreters is too deep (more than the kernel allows) or loops.",
            "Point #! at a binary interpreter, not at another script."),
    WINDOWS_EXECUTABLE(Errno.ENOEXEC, false,
            "The file is a Windows (PE) executable.",
            "Use the Linux build of the program."),
    MACOS_EXECUTABLE(Errno.ENOEXEC, false,
            "The file is a macOS (Mach-O) executable.",
            "Use the Linux build of the program (GOOS=linux for Go)."),
    JAVA_CLASS(Errno.ENOEXEC, false,
            "The file is a compiled Java class.",
            "Run it with java, or launch the program through its start script."),
    ARCHIVE(Errno.ENOEXEC, false,
            "The file is an archive (zip, jar or tar), not a program.",
            "Extract the archive, or for a jar run java -jar FILE."),
    COMPRESSED(Errno.ENOEXEC, false,
            "The file is compressed (gzip, xz, zstd or bzip2).",
            "Decompress the file before running it."),
    HTML_DOCUMENT(Errno.ENOEXEC, false,
            "The file is an HTML page, typically an error page saved by a failed download.",
            "Fix the download (URL, authentication, redirects: curl -fL) and check the checksum."),
    DATA_DOCUMENT(Errno.ENOEXEC, false,
            "The file is a data document (JSON or XML), not a program.",
            "Fix the download or build step that wrote a document in place of the program."),
    GIT_LFS_POINTER(Errno.ENOEXEC, false,
            "The file is a Git LFS pointer, not the binary it points to.",
            "Run git lfs pull (or enable LFS in the CI checkout) before building the image."),
    PYTHON_BYTECODE(Errno.ENOEXEC, false,
            "The file is compiled Python bytecode.",
            "Run it with python, or execute the .py source with a #! line."),
    WASM_MODULE(Errno.ENOEXEC, false,
            "The file is a WebAssembly module.",
            "Run it with a WebAssembly runtime (wasmtime, wasmer), or register a binfmt_misc handler."),
    UNKNOWN_FORMAT(Errno.ENOEXEC, false,
            "The file is in no format this kernel can execute.",
            "Check what the file really is and how it was produced.");

    private final Errno errno;
    private final boolean runnable;
    private final String summary;
    private final String remediation;

    Cause(Errno errno, boolean runnable, String summary, String remediation) {
        this.errno = errno;
        this.runnable = runnable;
        this.summary = summary;
        this.remediation = remediation;
    }

    /** What execve usually returns for this cause; empty when exec succeeds. */
    public Optional<Errno> defaultErrno() {
        return Optional.ofNullable(errno);
    }

    /** Whether the intended program starts. */
    public boolean runnable() {
        return runnable;
    }

    /** One generic sentence; a diagnosis refines it with the facts of the file. */
    public String summary() {
        return summary;
    }

    /** A generic, concrete next step. */
    public String remediation() {
        return remediation;
    }
}
