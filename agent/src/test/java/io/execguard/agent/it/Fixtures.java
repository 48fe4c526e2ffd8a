package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Files that cannot be executed, built here by code, each with what the kernel and the engine make of it. The
 * kernel is the judge: {@link #checkAgainstKernel} confirms each one fails as described before a test relies on it.
 */
final class Fixtures {
    /** One fixture: its path, the engine's expected cause, and either an errno or the shell fallback. */
    static final class Fixture {
        final String name;
        final Path path;
        final String cause;
        final String errno;

        Fixture(String name, Path path, String cause, String errno) {
            this.name = name;
            this.path = path;
            this.cause = cause;
            this.errno = errno;
        }

        /** ENOEXEC: glibc's JVM re-runs it through /bin/sh instead of failing. */
        boolean fallsBackToShell() {
            return "ENOEXEC".equals(errno);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final List<Fixture> all = new ArrayList<>();
    private final Path dir;
    private Path noexecMount;

    Fixtures(Path dir) throws IOException {
        this.dir = dir;
        add("wrong-architecture", write("arm64-tool", aarch64Elf(), "rwxr-xr-x"), "ARCH_MISMATCH", "ENOEXEC");
        add("no-shebang", write("no-shebang.sh", "echo probe-ran-without-shebang\n".getBytes(StandardCharsets.UTF_8),
                "rwxr-xr-x"), "SHEBANG_MISSING", "ENOEXEC");
        add("crlf", write("crlf.sh", "#!/bin/sh\r\necho hi\r\n".getBytes(StandardCharsets.UTF_8), "rwxr-xr-x"),
                "SHEBANG_CRLF", "ENOENT");
        add("missing-interpreter", write("missing-interp.sh",
                "#!/opt/execguard-missing/bin/interp\necho hi\n".getBytes(StandardCharsets.UTF_8), "rwxr-xr-x"),
                "SHEBANG_INTERPRETER_MISSING", "ENOENT");
        add("missing-loader", write("missing-loader", trueWithMissingLoader(), "rwxr-xr-x"),
                "ELF_INTERPRETER_MISSING", "ENOENT");
        add("no-execute-bit", write("no-x.sh", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8),
                "rw-r--r--"), "NO_EXECUTE_PERMISSION", "EACCES");
        noexecFixture().ifPresent(all::add);
    }

    /** The fixture called {@code name}. */
    Fixture named(String name) {
        return all.stream().filter(f -> f.name.equals(name)).findFirst().orElseThrow();
    }

    private void add(String name, Path path, String cause, String errno) {
        all.add(new Fixture(name, path, cause, errno));
    }

    private Path write(String name, byte[] content, String perms) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    /** A 64-bit little-endian ELF executable header for AArch64 (e_machine 183) with one PT_LOAD. */
    static byte[] aarch64Elf() {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) 183).putInt(1).putLong(0x400078).putLong(64).putLong(0);
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 64)
                .putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5).putLong(0).putLong(0x400000).putLong(0x400000).putLong(136).putLong(136)
                .putLong(0x1000);
        return b.array();
    }

    /** /bin/true with its PT_INTERP loader renamed to one that does not exist (same length, same layout). */
    static byte[] trueWithMissingLoader() throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("/bin/true"));
        byte[] from = "ld-linux-x86-64.so.2".getBytes(StandardCharsets.US_ASCII);
        byte[] to = "ld-missing-loader.so".getBytes(StandardCharsets.US_ASCII);
        assertEquals(from.length, to.length);
        for (int i = 0; i < 4096 && i + from.length < bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                return bytes;
            }
        }
        throw new IllegalStateException("/bin/true has no x86-64 glibc loader path in its headers");
    }

    /**
     * /bin/true copied onto a tmpfs mounted noexec. Needs root (mount); skipped elsewhere, a failure in CI.
     */
    private Optional<Fixture> noexecFixture() throws IOException {
        boolean root = "0".equals(uid());
        if (!root) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI runs as root; the noexec fixture needs it");
            }
            return Optional.empty();
        }
        Path mount = Files.createDirectories(dir.resolve("noexec"));
        if (!run("mount", "-t", "tmpfs", "-o", "noexec,size=4m", "tmpfs", mount.toString())) {
            if ("true".equals(System.getenv("CI"))) {
                fail("cannot mount a noexec tmpfs as root");
            }
            return Optional.empty();
        }
        noexecMount = mount;
        Path tool = mount.resolve("tool");
        Files.copy(Path.of("/bin/true"), tool);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Optional.of(new Fixture("noexec-mount", tool, "NOEXEC_MOUNT", "EACCES"));
    }

    void close() {
        if (noexecMount != null) {
            run("umount", noexecMount.toString());
        }
    }

    private static String uid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1];
            }
        }
        return "";
    }

    private static boolean run(String... cmd) {
        try {
            return new ProcessBuilder(cmd).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
