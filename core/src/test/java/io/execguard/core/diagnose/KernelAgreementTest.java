package io.execguard.core.diagnose;

import static io.execguard.core.diagnose.Cause.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.execguard.core.testing.Commands;
import io.execguard.core.testing.ElfBuilder;
import io.execguard.core.testing.ExecProbe;
import io.execguard.core.testing.Privileges;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel is the judge: for a fixture of every cause that can be produced on this machine, the engine predicts,
 * then a direct execve (no shell fallback) runs the fixture, and the predicted errno - or success, or SIGSEGV after
 * exec - must be exactly what the kernel did. Fixtures needing root (noexec mount, binfmt_misc) are in
 * {@link PrivilegedKernelAgreementTest}.
 */
class KernelAgreementTest {
    @TempDir
    static Path dir;

    /** Builds a fixture in a directory and returns the path to execute (absolute, or relative to the directory). */
    @FunctionalInterface
    interface Maker {
        String make(Path dir) throws Exception;
    }

    record Fixture(String name, Cause cause, Maker maker) {
        @Override
        public String toString() {
            return cause + ": " + name;
        }
    }

    @BeforeAll
    static void probe() {
        ExecProbe.binary();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void engineAgreesWithKernel(Fixture f) throws Exception {
        Path own = Files.createTempDirectory(dir, "f");
        String path = f.maker().make(own);
        Diagnosis d = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder(path).cwd(own.toString()).build());
        assertEquals(f.cause(), d.cause(), () -> "cause of " + f + ": " + d.summary());
        ExecProbe.assertKernelAgrees(d, ExecProbe.exec(path, own));
    }

    static Stream<Fixture> fixtures() {
        List<Fixture> all = new ArrayList<>();
        all.addAll(runnable());
        all.addAll(openChecks());
        all.addAll(elf());
        all.addAll(loaders());
        all.addAll(scripts());
        all.addAll(formats());
        return all.stream();
    }

    private static List<Fixture> runnable() {
        return List.of(
                new Fixture("static x86-64 program", OK, d -> exe(d, "static", ElfBuilder.x86_64().build())),
                new Fixture("copy of /bin/true (glibc, PIE)", OK, d -> copy(d, "/bin/true", "true", "755")),
                new Fixture("symlink to /bin/true", OK, d -> symlink(d, "link", "/bin/true")),
                new Fixture("relative path", OK, d -> {
                    exe(d, "rel", ElfBuilder.x86_64().build());
                    return "./rel";
                }),
                new Fixture("EI_CLASS says 32-bit, x86-64 ignores it", OK,
                        d -> exe(d, "class", ElfBuilder.x86_64().identClass(1).build())),
                new Fixture("i386 static program through IA32 emulation", compatCause(),
                        d -> exe(d, "i386", ElfBuilder.i386().build())),
                new Fixture("script #!/bin/sh", OK, d -> script(d, "s", "#!/bin/sh\nexit 0\n")),
                new Fixture("script with blanks and an argument", OK, d -> script(d, "s", "#!  \t/bin/sh  -e \nexit 0\n")),
                new Fixture("script without newline", OK, d -> script(d, "s", "#!/bin/sh")),
                new Fixture("relative interpreter in the working directory", OK, d -> {
                    copy(d, "/bin/sh", "mysh", "755");
                    return script(d, "s", "#!mysh\nexit 0\n");
                }),
                new Fixture("script #!/usr/bin/env sh", OK, d -> script(d, "s", "#!/usr/bin/env sh\nexit 0\n")),
                new Fixture("five levels of #! interpreters", OK, d -> chain(d, 5)));
    }

    private static List<Fixture> openChecks() {
        return List.of(
                new Fixture("missing file", NOT_FOUND, d -> d.resolve("missing").toString()),
                new Fixture("component is a file (ENOTDIR)", NOT_FOUND, d -> {
                    exe(d, "file", ElfBuilder.x86_64().build());
                    return d.resolve("file/x").toString();
                }),
                new Fixture("symlink loop (ELOOP)", NOT_FOUND, d -> {
                    Files.createSymbolicLink(d.resolve("a"), d.resolve("b"));
                    Files.createSymbolicLink(d.resolve("b"), d.resolve("a"));
                    return d.resolve("a").toString();
                }),
                new Fixture("dangling symlink", NOT_FOUND, d -> symlink(d, "dangling", d.resolve("nowhere").toString())),
                new Fixture("directory", IS_DIRECTORY, d -> Files.createDirectory(d.resolve("dir")).toString()),
                new Fixture("FIFO", NOT_REGULAR_FILE, d -> {
                    Commands.run("mkfifo", "-m", "755", d.resolve("fifo").toString());
                    return d.resolve("fifo").toString();
                }),
                new Fixture("character device", NOT_REGULAR_FILE, d -> "/dev/null"),
                new Fixture("unix socket", NOT_REGULAR_FILE, d -> {
                    Path s = d.resolve("sock");
                    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                        ch.bind(UnixDomainSocketAddress.of(s));
                    }
                    Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
                    return s.toString();
                }),
                new Fixture("no execute bit", NO_EXECUTE_PERMISSION, d -> copy(d, "/bin/true", "true", "644")),
                new Fixture("empty file", EMPTY_FILE, d -> exe(d, "empty", new byte[0])));
    }

    private static List<Fixture> elf() {
        return List.of(
                new Fixture("arm64 program", ARCH_MISMATCH, d -> exe(d, "arm64", ElfBuilder.foreign(183, true, false).build())),
                new Fixture("s390x program (big-endian)", ARCH_MISMATCH, d -> exe(d, "s390x", ElfBuilder.foreign(22, true, true).build())),
                new Fixture("riscv64 program", ARCH_MISMATCH, d -> exe(d, "riscv", ElfBuilder.foreign(243, true, false).build())),
                new Fixture("ppc64le program", ARCH_MISMATCH, d -> exe(d, "ppc", ElfBuilder.foreign(21, true, false).build())),
                new Fixture("32-bit ARM program", ARCH_MISMATCH, d -> exe(d, "arm", ElfBuilder.foreign(40, false, false).flags(0x05000400).build())),
                new Fixture("x32-ABI program (no CONFIG_X86_X32_ABI)", COMPAT_DISABLED, d -> exe(d, "x32", ElfBuilder.i386().machine(62).build())),
                new Fixture("relocatable object", ELF_NOT_EXECUTABLE, d -> exe(d, "rel", ElfBuilder.x86_64().type(ElfBuilder.ET_REL).build())),
                new Fixture("core dump", ELF_NOT_EXECUTABLE, d -> exe(d, "core", ElfBuilder.x86_64().type(ElfBuilder.ET_CORE).build())),
                new Fixture("arm64 relocatable object", ELF_NOT_EXECUTABLE, d -> exe(d, "armrel", ElfBuilder.foreign(183, true, false).type(ElfBuilder.ET_REL).build())),
                new Fixture("gcc -c object", ELF_NOT_EXECUTABLE, d -> gcc(d, "obj.o", "-c")),
                new Fixture("gcc -shared library (no entry point)", ELF_NOT_EXECUTABLE, d -> gcc(d, "lib.so", "-shared", "-fPIC")),
                new Fixture("no executable segment for the entry", ELF_NOT_EXECUTABLE, d -> {
                    ElfBuilder b = ElfBuilder.x86_64().withoutLoad();
                    return exe(d, "noload", b.segment(ElfBuilder.PT_LOAD, 4, 0, b.base(), 0x80, 0x80).build());
                }),
                new Fixture("e_phentsize wrong", ELF_CORRUPT, d -> exe(d, "phent", ElfBuilder.x86_64().phentsize(64).build())),
                new Fixture("no program headers", ELF_CORRUPT, d -> exe(d, "phnum0", ElfBuilder.x86_64().phnum(0).build())),
                new Fixture("program headers over one page", ELF_CORRUPT, d -> exe(d, "phnum", ElfBuilder.x86_64().phnum(74).build())),
                new Fixture("PT_INTERP of 1 byte", ELF_CORRUPT, d -> exe(d, "i1", ElfBuilder.x86_64().interpreter("/x").interpreterSize(1).build())),
                new Fixture("PT_INTERP over PATH_MAX", ELF_CORRUPT, d -> exe(d, "ibig", ElfBuilder.x86_64().interpreter("/x").interpreterSize(4097).build())),
                new Fixture("PT_INTERP not NUL-terminated", ELF_CORRUPT, d -> exe(d, "inul", ElfBuilder.x86_64().interpreterBytes("/lib64/ld-linux-x86-64.so.2".getBytes(StandardCharsets.US_ASCII)).build())),
                new Fixture("cut to its 64-byte header", ELF_TRUNCATED, d -> exe(d, "t64", Arrays.copyOf(ElfBuilder.x86_64().build(), 64))),
                new Fixture("PT_INTERP past the end of the file (EIO)", ELF_TRUNCATED, d -> {
                    byte[] full = ElfBuilder.x86_64().interpreter("/lib64/ld-linux-x86-64.so.2").build();
                    return exe(d, "tinterp", Arrays.copyOf(full, 64 + 2 * 56 + 4));
                }),
                new Fixture("writable segment past the end (SIGSEGV)", ELF_TRUNCATED, d -> {
                    ElfBuilder b = ElfBuilder.x86_64();
                    return exe(d, "tbss", b.segment(ElfBuilder.PT_LOAD, 6, 0x2000, b.base() + 0x2000, 0x10, 0x1000).build());
                }),
                new Fixture("/bin/true cut in half (SIGSEGV)", ELF_TRUNCATED, d -> {
                    byte[] t = Files.readAllBytes(Path.of("/bin/true"));
                    return exe(d, "halftrue", Arrays.copyOf(t, t.length / 2));
                }),
                new Fixture("code past the end, no segment the kernel zeroes", ELF_TRUNCATED, d -> {
                    byte[] full = ElfBuilder.x86_64().build();
                    return exe(d, "tcode", Arrays.copyOf(full, full.length - 4));
                }));
    }

    private static List<Fixture> loaders() {
        return List.of(
                new Fixture("synthetic loader that runs", OK, d -> {
                    Path ld = write(d, "ld-ok", ElfBuilder.x86_64().base(0x7000000).build(), "755");
                    return exe(d, "withld", ElfBuilder.x86_64().interpreter(ld.toString()).build());
                }),
                new Fixture("i386 program with an i386 loader (compat loader path)", compatCause(), d -> {
                    Path ld = write(d, "ld-i386", ElfBuilder.i386().base(0x7000000).build(), "755");
                    return exe(d, "i386ld", ElfBuilder.i386().interpreter(ld.toString()).build());
                }),
                new Fixture("i386 program with an x86-64 loader (ELIBBAD)", ELF_INTERPRETER_INVALID, d -> {
                    Path ld = write(d, "ld-64", ElfBuilder.x86_64().base(0x7000000).build(), "755");
                    return exe(d, "i386ld64", ElfBuilder.i386().interpreter(ld.toString()).build());
                }),
                new Fixture("loader missing", ELF_INTERPRETER_MISSING, d -> exe(d, "nold", ElfBuilder.x86_64().interpreter(d.resolve("no/ld.so").toString()).build())),
                new Fixture("musl binary on glibc", ELF_INTERPRETER_MISSING, d -> {
                    assumeFalse(Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")), "musl is installed here");
                    return exe(d, "musl", ElfBuilder.x86_64().interpreter("/lib/ld-musl-x86_64.so.1").build());
                }),
                new Fixture("i386 dynamic program without its loader", ELF_INTERPRETER_MISSING, d -> {
                    assumeFalse(Files.exists(Path.of("/lib/ld-linux.so.2")), "the i386 loader is installed here");
                    return exe(d, "i386dyn", ElfBuilder.i386().interpreter("/lib/ld-linux.so.2").build());
                }),
                new Fixture("loader path empty (EACCES: the kernel opens the cwd)", ELF_INTERPRETER_INVALID,
                        d -> exe(d, "ldempty", ElfBuilder.x86_64().interpreterBytes(new byte[4]).build())),
                new Fixture("loader is a text file (ELIBBAD)", ELF_INTERPRETER_INVALID, d -> {
                    Path ld = write(d, "ld-text", "this is not a loader\n".repeat(10).getBytes(StandardCharsets.US_ASCII), "755");
                    return exe(d, "ldtext", ElfBuilder.x86_64().interpreter(ld.toString()).build());
                }),
                new Fixture("loader shorter than an ELF header (EIO)", ELF_INTERPRETER_INVALID, d -> {
                    Path ld = write(d, "ld-short", Arrays.copyOf(ElfBuilder.x86_64().build(), 20), "755");
                    return exe(d, "ldshort", ElfBuilder.x86_64().interpreter(ld.toString()).build());
                }),
                new Fixture("loader without execute bit (EACCES)", ELF_INTERPRETER_INVALID, d -> {
                    Path ld = write(d, "ld-644", ElfBuilder.x86_64().type(ElfBuilder.ET_DYN).build(), "644");
                    return exe(d, "ld644", ElfBuilder.x86_64().interpreter(ld.toString()).build());
                }),
                new Fixture("loader is a directory (EACCES)", ELF_INTERPRETER_INVALID, d -> {
                    Path ld = Files.createDirectory(d.resolve("ld-dir"));
                    return exe(d, "lddir", ElfBuilder.x86_64().interpreter(ld.toString()).build());
                }),
                new Fixture("loader for another machine (ELIBBAD)", ELF_INTERPRETER_INVALID, d -> {
                    Path ld = write(d, "ld-arm", ElfBuilder.foreign(183, true, false).type(ElfBuilder.ET_DYN).build(), "755");
                    return exe(d, "ldarm", ElfBuilder.x86_64().interpreter(ld.toString()).build());
                }),
                new Fixture("loader cut in half (SIGSEGV)", ELF_INTERPRETER_INVALID, d -> {
                    byte[] ld = Files.readAllBytes(Path.of("/lib64/ld-linux-x86-64.so.2"));
                    Path half = write(d, "ld-half", Arrays.copyOf(ld, ld.length / 2), "755");
                    return exe(d, "ldhalf", ElfBuilder.x86_64().interpreter(half.toString()).build());
                }),
                new Fixture("loader with bad program headers (ELIBBAD)", ELF_INTERPRETER_INVALID, d -> {
                    Path ld = write(d, "ld-bad", ElfBuilder.x86_64().type(ElfBuilder.ET_DYN).phentsize(12).build(), "755");
                    return exe(d, "ldbad", ElfBuilder.x86_64().interpreter(ld.toString()).build());
                }));
    }

    private static List<Fixture> scripts() {
        return List.of(
                new Fixture("text without #!", SHEBANG_MISSING, d -> script(d, "s", "echo hello\n")),
                new Fixture("blank line before #!", SHEBANG_NOT_FIRST, d -> script(d, "s", "\n#!/bin/sh\necho\n")),
                new Fixture("blank before #!", SHEBANG_NOT_FIRST, d -> script(d, "s", " #!/bin/sh\necho\n")),
                new Fixture("#! written as !/", SHEBANG_NOT_FIRST, d -> script(d, "s", "!/bin/sh\necho\n")),
                new Fixture("UTF-8 BOM before #!", SHEBANG_BOM, d -> script(d, "s", "\ufeff#!/bin/sh\necho\n")),
                new Fixture("UTF-16LE with BOM", SHEBANG_UTF16, d -> exe(d, "s", utf16("\ufeff#!/bin/sh\necho\n", StandardCharsets.UTF_16LE))),
                new Fixture("UTF-16BE without BOM", SHEBANG_UTF16, d -> exe(d, "s", utf16("#!/bin/sh\necho\n", StandardCharsets.UTF_16BE))),
                new Fixture("#! and a newline", SHEBANG_EMPTY, d -> script(d, "s", "#!\necho\n")),
                new Fixture("#! and blanks", SHEBANG_EMPTY, d -> script(d, "s", "#!  \t \necho\n")),
                new Fixture("#! alone, no newline (the kernel opens \"\")", SHEBANG_EMPTY, d -> script(d, "s", "#!")),
                new Fixture("interpreter path past 256 bytes", SHEBANG_TOO_LONG, d -> script(d, "s", "#!/" + "a".repeat(300) + "\n")),
                new Fixture("CRLF: interpreter /bin/sh\\r", SHEBANG_CRLF, d -> script(d, "s", "#!/bin/sh\r\necho\r\n")),
                new Fixture("CRLF: argument -e\\r (exec succeeds)", SHEBANG_CRLF, d -> script(d, "s", "#!/bin/sh -e\r\necho\r\n")),
                new Fixture("CRLF: env sh\\r (exec succeeds)", SHEBANG_CRLF, d -> script(d, "s", "#!/usr/bin/env sh\r\necho\r\n")),
                new Fixture("interpreter missing", SHEBANG_INTERPRETER_MISSING, d -> script(d, "s", "#!/nonexistent/bin/sh\n")),
                new Fixture("relative interpreter missing", SHEBANG_INTERPRETER_MISSING, d -> script(d, "s", "#!nosuchsh\n")),
                new Fixture("env: program missing (exec succeeds)", SHEBANG_INTERPRETER_MISSING, d -> script(d, "s", "#!/usr/bin/env no-such-interpreter-xyz\n")),
                new Fixture("env: 'sh -e' is one name (exec succeeds)", SHEBANG_INTERPRETER_MISSING, d -> script(d, "s", "#!/usr/bin/env sh -e\n")),
                new Fixture("interpreter without execute bit", SHEBANG_INTERPRETER_NOT_EXECUTABLE, d -> {
                    Path i = copyPath(d, "/bin/sh", "sh644", "644");
                    return script(d, "s", "#!" + i + "\n");
                }),
                new Fixture("interpreter is a directory", SHEBANG_INTERPRETER_NOT_EXECUTABLE, d -> script(d, "s", "#!/tmp\n")),
                new Fixture("interpreter is a text file", SHEBANG_INTERPRETER_INVALID, d -> {
                    Path i = write(d, "notsh", "echo\n".getBytes(StandardCharsets.US_ASCII), "755");
                    return script(d, "s", "#!" + i + "\n");
                }),
                new Fixture("interpreter for another machine", SHEBANG_INTERPRETER_INVALID, d -> {
                    Path i = write(d, "armsh", ElfBuilder.foreign(183, true, false).build(), "755");
                    return script(d, "s", "#!" + i + "\n");
                }),
                new Fixture("interpreter whose loader is missing", SHEBANG_INTERPRETER_INVALID, d -> {
                    Path i = write(d, "nold", ElfBuilder.x86_64().interpreter("/nonexistent/ld.so").build(), "755");
                    return script(d, "s", "#!" + i + "\n");
                }),
                new Fixture("env: program is a text file (exec succeeds)", SHEBANG_INTERPRETER_INVALID, d -> {
                    Path i = write(d, "bad", ElfBuilder.foreign(183, true, false).build(), "755");
                    return script(d, "s", "#!/usr/bin/env " + i + "\n");
                }),
                new Fixture("six levels of #! interpreters", SHEBANG_LOOP, d -> chain(d, 6)),
                new Fixture("script that is its own interpreter", SHEBANG_LOOP, d -> {
                    Path s = d.resolve("self");
                    return script(d, "self", "#!" + s + "\n");
                }));
    }

    private static List<Fixture> formats() {
        return List.of(
                new Fixture("Windows PE", WINDOWS_EXECUTABLE, d -> exe(d, "pe", pe())),
                new Fixture("Mach-O 64-bit", MACOS_EXECUTABLE, d -> exe(d, "macho", bytes(0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 0x01, 0, 0, 0, 0, 2, 0, 0, 0))),
                new Fixture("Mach-O universal", MACOS_EXECUTABLE, d -> exe(d, "fat", Arrays.copyOf(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, 0x01, 0, 0, 7), 64))),
                new Fixture("Java class", JAVA_CLASS, d -> exe(d, "Main.class", Arrays.copyOf(bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61), 64))),
                new Fixture("zip", ARCHIVE, d -> exe(d, "z", zip(false))),
                new Fixture("jar", ARCHIVE, d -> exe(d, "j", zip(true))),
                new Fixture("tar", ARCHIVE, d -> exe(d, "t", tar())),
                new Fixture("gzip", COMPRESSED, d -> exe(d, "gz", gzip())),
                new Fixture("xz", COMPRESSED, d -> exe(d, "xz", Arrays.copyOf(bytes(0xfd, '7', 'z', 'X', 'Z', 0), 32))),
                new Fixture("zstd", COMPRESSED, d -> exe(d, "zst", Arrays.copyOf(bytes(0x28, 0xb5, 0x2f, 0xfd), 32))),
                new Fixture("bzip2", COMPRESSED, d -> exe(d, "bz", "BZh91AY&SY".getBytes(StandardCharsets.US_ASCII))),
                new Fixture("HTML error page", HTML_DOCUMENT, d -> script(d, "h", "<!DOCTYPE html>\n<html><body>404</body></html>\n")),
                new Fixture("JSON", DATA_DOCUMENT, d -> script(d, "j", "{\"message\": \"Not Found\"}\n")),
                new Fixture("XML", DATA_DOCUMENT, d -> script(d, "x", "<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code></Error>\n")),
                new Fixture("Git LFS pointer", GIT_LFS_POINTER, d -> script(d, "lfs", "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")),
                new Fixture("Python 3.11 bytecode", PYTHON_BYTECODE, d -> exe(d, "pyc", Arrays.copyOf(bytes(0xa7, 0x0d, 0x0d, 0x0a), 32))),
                new Fixture("WebAssembly", WASM_MODULE, d -> exe(d, "wasm", bytes(0, 'a', 's', 'm', 1, 0, 0, 0))),
                new Fixture("zeros", UNKNOWN_FORMAT, d -> exe(d, "zeros", new byte[4096])),
                new Fixture("random binary", UNKNOWN_FORMAT, d -> exe(d, "random", bytes(0x01, 0x02, 0x03, 0x00, 0x99, 0x88, 0x00, 0x00))));
    }

    private static Cause compatCause() {
        return DiagnosisEngine.forHost().hostFacts().compat().enabled() ? OK : COMPAT_DISABLED;
    }

    // ---- fixture helpers -------------------------------------------------------------------------------------

    static Path write(Path d, String name, byte[] content, String mode) throws IOException {
        Path p = d.resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms(mode)));
        return p;
    }

    static String perms(String octal) {
        StringBuilder b = new StringBuilder();
        for (char c : octal.toCharArray()) {
            int v = c - '0';
            b.append((v & 4) != 0 ? 'r' : '-').append((v & 2) != 0 ? 'w' : '-').append((v & 1) != 0 ? 'x' : '-');
        }
        return b.toString();
    }

    static String exe(Path d, String name, byte[] content) throws IOException {
        return write(d, name, content, "755").toString();
    }

    static String script(Path d, String name, String text) throws IOException {
        return exe(d, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static String copy(Path d, String from, String name, String mode) throws IOException {
        return copyPath(d, from, name, mode).toString();
    }

    static Path copyPath(Path d, String from, String name, String mode) throws IOException {
        return write(d, name, Files.readAllBytes(Path.of(from)), mode);
    }

    static String symlink(Path d, String name, String target) throws IOException {
        return Files.createSymbolicLink(d.resolve(name), Path.of(target)).toString();
    }

    /** {@code levels} scripts, each the interpreter of the one before, the last run by /bin/sh. */
    static String chain(Path d, int levels) throws IOException {
        String interpreter = "/bin/sh";
        for (int i = levels; i >= 1; i--) {
            interpreter = script(d, "level" + i, "#!" + interpreter + "\nexit 0\n");
        }
        return interpreter;
    }

    static String gcc(Path d, String name, String... flags) throws IOException {
        Privileges.requireCommand("gcc");
        Path c = d.resolve("src.c");
        Files.writeString(c, "int answer(void) { return 42; }\n");
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", d.resolve(name).toString(), c.toString()));
        Commands.run(cmd);
        Files.setPosixFilePermissions(d.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        return d.resolve(name).toString();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] utf16(String s, java.nio.charset.Charset cs) {
        return s.getBytes(cs);
    }

    static byte[] pe() {
        byte[] b = new byte[0x100];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3c] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        b[0x84] = 0x64;
        b[0x85] = (byte) 0x86;
        return b;
    }

    static byte[] zip(boolean jar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = jar ? new JarOutputStream(out, new Manifest()) : new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("hello.txt"));
            z.write("hello".getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        return out.toByteArray();
    }

    static byte[] tar() {
        byte[] b = new byte[1024];
        byte[] name = "hello.txt".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, b, 0, name.length);
        byte[] magic = "ustar\00000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, b, 257, magic.length);
        return b;
    }

    static byte[] gzip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write("#!/bin/sh\necho compressed\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
