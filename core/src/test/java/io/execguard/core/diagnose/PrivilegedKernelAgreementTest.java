package io.execguard.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.platform.Credentials;
import io.execguard.core.platform.Platform;
import io.execguard.core.testing.Commands;
import io.execguard.core.testing.ElfBuilder;
import io.execguard.core.testing.ExecProbe;
import io.execguard.core.testing.Privileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel-judged fixtures that need root: a {@code noexec} tmpfs mounted for the test, and binfmt_misc handlers
 * registered for a made-up magic (binfmt_misc is mounted first if needed). Everything is undone afterwards. These fail
 * in CI ({@code CI=true}) when not run as root and are skipped elsewhere.
 */
class PrivilegedKernelAgreementTest {
    private static final Path BINFMT = Path.of("/proc/sys/fs/binfmt_misc");

    @TempDir
    Path dir;

    private final List<Runnable> undo = new ArrayList<>();

    @BeforeEach
    void needsRoot() {
        Privileges.requireRoot("mount file systems and register binfmt_misc handlers");
        Privileges.requireCommand("mount");
        ExecProbe.binary();
    }

    @AfterEach
    void cleanUp() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
    }

    @Test
    void noexecMount() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("noexec"));
        Commands.run("mount", "-t", "tmpfs", "-o", "noexec,size=4m", "execguard-test", mnt.toString());
        undo.add(() -> quietly("umount", mnt.toString()));
        String program = KernelAgreementTest.copy(mnt, "/bin/true", "true", "755");
        Diagnosis d = judge(program, Cause.NOEXEC_MOUNT);
        assertEquals(mnt.toString(), d.evidence().group("mount").orElseThrow().string("mount_point").orElseThrow());

        String script = KernelAgreementTest.script(dir, "s", "#!" + program + "\n");
        judge(script, Cause.SHEBANG_INTERPRETER_NOT_EXECUTABLE);

        String loader = KernelAgreementTest.copy(mnt, "/lib64/ld-linux-x86-64.so.2", "ld.so", "755");
        String binary = KernelAgreementTest.exe(dir, "b", ElfBuilder.x86_64().interpreter(loader).build());
        judge(binary, Cause.ELF_INTERPRETER_INVALID);
    }

    @Test
    void permissionsOfAnUnprivilegedUser() throws Exception {
        int nobody = 65534;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Credentials user = Credentials.of(nobody, new int[] {nobody}, false);
        asUser(user, "0744", 0, 0, Cause.NO_EXECUTE_PERMISSION);
        asUser(user, "0755", 0, 0, Cause.OK);
        asUser(user, "0710", 0, nobody, Cause.OK);
        asUser(user, "0610", nobody, nobody, Cause.NO_EXECUTE_PERMISSION);
        asUser(user, "0601", nobody, 0, Cause.NO_EXECUTE_PERMISSION);
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path inside = Files.write(closed.resolve("prog"), ElfBuilder.x86_64().build());
        Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rwxr-xr-x"));
        Diagnosis d = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder(inside.toString()).credentials(user)
                .build());
        assertEquals(Cause.NO_EXECUTE_PERMISSION, d.cause(), d::toString);
        ExecProbe.assertKernelAgrees(d, ExecProbe.execAs(nobody, nobody, inside.toString(), dir));
    }

    private void asUser(Credentials user, String mode, int owner, int group, Cause expected) throws Exception {
        Path p = Files.write(dir.resolve("prog-" + mode + "-" + owner + "-" + group), ElfBuilder.x86_64().build());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(KernelAgreementTest.perms(mode.substring(1))));
        Files.setAttribute(p, "unix:uid", owner);
        Files.setAttribute(p, "unix:gid", group);
        Diagnosis d = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder(p.toString()).credentials(user)
                .build());
        assertEquals(expected, d.cause(), d::toString);
        ExecProbe.assertKernelAgrees(d, ExecProbe.execAs(user.uid(), 65534, p.toString(), dir));
    }

    @Test
    void binfmtMiscHandlers() throws Exception {
        mountBinfmtMisc();
        String tag = "eg" + ProcessHandle.current().pid();
        Path interpreter = Path.of(KernelAgreementTest.script(dir, "interp", "#!/bin/sh\nexit 0\n"));

        register(tag + "ok", ":M::EGTEST01::" + interpreter + ":");
        String emulated = KernelAgreementTest.script(dir, "emulated", "EGTEST01 payload\n");
        Diagnosis d = judge(emulated, Cause.EMULATED);
        assertEquals(tag + "ok", d.evidence().group("binfmt").orElseThrow().string("name").orElseThrow());

        register(tag + "missing", ":M::EGTEST02::/nonexistent/execguard-emulator:");
        judge(KernelAgreementTest.script(dir, "missing", "EGTEST02 payload\n"), Cause.BINFMT_INTERPRETER_MISSING);

        Path doomed = Path.of(KernelAgreementTest.script(dir, "doomed", "#!/bin/sh\nexit 0\n"));
        register(tag + "fixed", ":M::EGTEST03::" + doomed + ":F");
        Files.delete(doomed);
        judge(KernelAgreementTest.script(dir, "fixed", "EGTEST03 payload\n"), Cause.EMULATED);

        register(tag + "ext", ":E::egx::" + interpreter + ":");
        judge(KernelAgreementTest.exe(dir, "tool.egx", new byte[] {1, 2, 3, 0}), Cause.EMULATED);

        String text = KernelAgreementTest.script(dir, "other-platform", "EGTEST01 payload\n");
        Diagnosis foreign = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder(text)
                .platform(Platform.parse("linux/arm64")).build());
        assertNotEquals(Cause.EMULATED, foreign.cause(), "binfmt_misc is a host fact: " + foreign);
    }

    private static Diagnosis judge(String path, Cause expected) {
        Diagnosis d = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder(path).build());
        assertEquals(expected, d.cause(), d::toString);
        ExecProbe.assertKernelAgrees(d, ExecProbe.exec(Path.of(path)));
        return d;
    }

    private void mountBinfmtMisc() throws IOException {
        if (!Files.exists(BINFMT.resolve("status"))) {
            Commands.run("mount", "-t", "binfmt_misc", "binfmt_misc", BINFMT.toString());
            // Unmount only when no handler is left: a concurrent run of this test may still be using it.
            undo.add(() -> {
                if (handlerCount() == 0) {
                    quietly("umount", BINFMT.toString());
                }
            });
        }
        assertTrue(Files.readString(BINFMT.resolve("status")).trim().equals("enabled"), "binfmt_misc is disabled");
    }

    private static long handlerCount() {
        try (var entries = Files.list(BINFMT)) {
            return entries.filter(p -> !p.getFileName().toString().equals("status")
                    && !p.getFileName().toString().equals("register")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private void register(String name, String rest) throws IOException {
        Files.writeString(BINFMT.resolve("register"), ":" + name + rest, StandardCharsets.US_ASCII);
        undo.add(() -> {
            try {
                Files.writeString(BINFMT.resolve(name), "-1", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException("cannot unregister binfmt_misc handler " + name, e);
            }
        });
    }

    private static void quietly(String... command) {
        try {
            Commands.run(command);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
