package io.execguard.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.fs.HostFileTree;
import io.execguard.core.platform.BinfmtEntry;
import io.execguard.core.platform.BinfmtMisc;
import io.execguard.core.platform.CompatSupport;
import io.execguard.core.platform.Credentials;
import io.execguard.core.platform.HostFacts;
import io.execguard.core.platform.Platform;
import io.execguard.core.testing.ElfBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kernel cannot judge on this machine: other platforms, compat off, image roots, evidence, caching. */
class DiagnosisEngineTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");

    @TempDir
    Path root;

    private Path put(String path, byte[] content) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static DiagnosisEngine engine(HostFacts facts) {
        return DiagnosisEngine.create(facts, HostFileTree.root());
    }

    private static HostFacts facts() {
        return HostFacts.of(AMD64, CompatSupport.of(true, "test"), BinfmtMisc.none(), Credentials.privileged());
    }

    private Diagnosis diagnose(String path, String platform) {
        return engine(facts()).diagnose(DiagnosisRequest.builder(path).tree(HostFileTree.of(root))
                .platform(platform == null ? null : Platform.parse(platform)).build());
    }

    @Test
    void judgesAgainstTheTargetPlatform() throws IOException {
        put("/bin/arm", ElfBuilder.foreign(183, true, false).build());
        put("/bin/amd", ElfBuilder.x86_64().build());
        put("/bin/s390", ElfBuilder.foreign(22, true, true).build());
        assertEquals(Cause.OK, diagnose("/bin/arm", "linux/arm64").cause());
        assertEquals(Cause.ARCH_MISMATCH, diagnose("/bin/amd", "linux/arm64").cause());
        assertEquals(Cause.OK, diagnose("/bin/s390", "linux/s390x").cause());
        Diagnosis d = diagnose("/bin/arm", "linux/amd64");
        assertEquals(Cause.ARCH_MISMATCH, d.cause());
        Evidence elf = d.evidence().group("elf").orElseThrow();
        assertEquals("linux/arm64", elf.string("platform").orElseThrow());
        assertEquals("AArch64", elf.string("machine").orElseThrow());
        assertEquals("static", elf.string("libc").orElseThrow());
        assertTrue(d.summary().contains("/bin/arm") && d.summary().contains("linux/arm64"), d.summary());
    }

    @Test
    void compatDisabled() throws IOException {
        Path p = put("/i386", ElfBuilder.i386().build());
        HostFacts off = facts().withCompat(CompatSupport.of(false, "/proc/cmdline ia32_emulation=0"));
        Diagnosis d = engine(off).diagnose(DiagnosisRequest.builder(p.toString()).build());
        assertEquals(Cause.COMPAT_DISABLED, d.cause());
        assertEquals(Errno.ENOEXEC, d.errno().orElseThrow());
        assertTrue(d.summary().contains("ia32_emulation=0"), d.summary());
        Diagnosis image = engine(off).diagnose(DiagnosisRequest.builder("/i386").tree(HostFileTree.of(root)).build());
        assertEquals(Cause.OK, image.cause(), "host facts do not apply to an image root");
    }

    @Test
    void glibcBinaryInAnAlpineRoot() throws IOException {
        put("/lib/ld-musl-x86_64.so.1", ElfBuilder.x86_64().type(3).build());
        put("/app/tool", ElfBuilder.x86_64().type(3).interpreter("/lib64/ld-linux-x86-64.so.2").build());
        Diagnosis d = diagnose("/app/tool", null);
        assertEquals(Cause.ELF_INTERPRETER_MISSING, d.cause());
        assertEquals(Errno.ENOENT, d.errno().orElseThrow());
        assertTrue(d.summary().contains("musl system"), d.summary());
        assertTrue(d.remediation().contains("gcompat"), d.remediation());
        assertEquals("glibc", d.evidence().group("elf").orElseThrow().string("libc").orElseThrow());
    }

    @Test
    void armVariantFromArmAttributes() throws IOException {
        byte[] attributes = {'A', 0x14, 0, 0, 0, 'a', 'e', 'a', 'b', 'i', 0, 1, 0x0a, 0, 0, 0, 5, '7', 0, 6, 10};
        byte[] elf = ElfBuilder.foreign(40, false, false).flags(0x05000400).build();
        int shoff = elf.length + attributes.length;
        ByteBuffer b = ByteBuffer.allocate(shoff + 2 * 40).order(ByteOrder.LITTLE_ENDIAN);
        b.put(elf).put(attributes);
        b.position(shoff + 40);
        b.putInt(0).putInt(0x70000003).putInt(0).putInt(0).putInt(elf.length).putInt(attributes.length);
        byte[] file = b.array();
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(32, shoff).putShort(46, (short) 40)
                .putShort(48, (short) 2);
        put("/armv7", file);
        Diagnosis d = diagnose("/armv7", "linux/arm/v7");
        assertEquals(Cause.OK, d.cause(), d.summary());
        assertEquals("linux/arm/v7", d.evidence().group("elf").orElseThrow().string("platform").orElseThrow());
        assertEquals("hard", d.evidence().group("elf").orElseThrow().string("float_abi").orElseThrow());
    }

    @Test
    void emulatedThroughARegisteredHandler() throws IOException {
        Path p = put("/arm", ElfBuilder.foreign(183, true, false).build());
        Path qemu = put("/qemu", ElfBuilder.x86_64().build());
        byte[] magic = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, (byte) 0xb7, 0};
        byte[] mask = {-1, -1, -1, -1, -1, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -2, -1, -1, -1};
        HostFacts withQemu = facts().withBinfmt(BinfmtMisc.of(true,
                List.of(BinfmtEntry.magic("qemu-aarch64", true, qemu.toString(), "", 0, magic, mask))));
        Diagnosis d = engine(withQemu).diagnose(DiagnosisRequest.builder(p.toString()).build());
        assertEquals(Cause.EMULATED, d.cause(), d.summary());
        assertTrue(d.runnable());
        assertEquals("qemu-aarch64", d.evidence().group("binfmt").orElseThrow().string("name").orElseThrow());
        Files.delete(qemu);
        Diagnosis missing = engine(withQemu).diagnose(DiagnosisRequest.builder(p.toString()).build());
        assertEquals(Cause.BINFMT_INTERPRETER_MISSING, missing.cause());
        assertEquals(Errno.ENOENT, missing.errno().orElseThrow());
    }

    @Test
    void cacheSeesChmodAndNewLoaders() throws IOException {
        Path tool = put("/tool", ElfBuilder.x86_64().interpreter(root.resolve("ld.so").toString()).build());
        CachingDiagnosisEngine cache = new CachingDiagnosisEngine(engine(facts()), 16);
        DiagnosisRequest r = DiagnosisRequest.builder(tool.toString()).build();
        assertEquals(Cause.ELF_INTERPRETER_MISSING, cache.diagnose(r).cause());
        assertEquals(Cause.ELF_INTERPRETER_MISSING, cache.diagnose(r).cause());
        assertEquals(1, cache.hits());
        put("/ld.so", ElfBuilder.x86_64().type(3).build());
        assertEquals(Cause.OK, cache.diagnose(r).cause(), "the loader appeared");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(Cause.NO_EXECUTE_PERMISSION, cache.diagnose(r).cause(), "chmod -x changes the key");
        assertEquals(1, cache.hits());
    }

    @Test
    void evidenceAndRequestDefaults() throws IOException {
        Path s = put("/s", "#!/usr/bin/env -S sh -e\n".getBytes());
        Diagnosis d = DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder("s").cwd(root.toString()).build());
        assertEquals(Cause.OK, d.cause(), d.summary());
        Evidence script = d.evidence().group("script").orElseThrow();
        assertEquals("/usr/bin/env", script.string("interpreter").orElseThrow());
        assertEquals("-S sh -e", script.string("arguments").orElseThrow());
        assertTrue(script.string("resolved_interpreter").orElseThrow().endsWith("/sh"));
        assertEquals(s.toString(), d.resolvedPath().orElseThrow());
        assertEquals("0755", d.evidence().group("file").orElseThrow().string("mode").orElseThrow());
        assertFalse(d.evidence().group("elf").isPresent());
    }
}
