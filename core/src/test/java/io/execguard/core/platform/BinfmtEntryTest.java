package io.execguard.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** binfmt_misc entries as /proc/sys/fs/binfmt_misc shows them, and the kernel's check_file matching. */
class BinfmtEntryTest {
    static final String QEMU_AARCH64 = "enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: OCF\noffset 0\n"
            + "magic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n";

    static byte[] arm64Header() {
        byte[] b = new byte[256];
        byte[] h = {0x7f, 'E', 'L', 'F', 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, (byte) 0xb7, 0};
        System.arraycopy(h, 0, b, 0, h.length);
        return b;
    }

    @Test
    void parsesQemuRegistration() {
        BinfmtEntry e = BinfmtEntry.parse("qemu-aarch64", QEMU_AARCH64).orElseThrow();
        assertTrue(e.enabled());
        assertEquals("/usr/bin/qemu-aarch64-static", e.interpreter());
        assertEquals("OCF", e.flags());
        assertTrue(e.fixBinary());
        assertEquals(20, e.magic().orElseThrow().length);
    }

    @Test
    void matchesWithMaskAndOsAbiIgnored() {
        BinfmtEntry e = BinfmtEntry.parse("qemu-aarch64", QEMU_AARCH64).orElseThrow();
        assertTrue(e.matches(arm64Header(), "/bin/tool"), "EI_OSABI is masked out, ET_DYN passes the fe mask");
        byte[] amd64 = arm64Header();
        amd64[18] = 62;
        assertFalse(e.matches(amd64, "/bin/tool"));
    }

    @Test
    void extensionEntriesMatchTheLastDotOfTheWholePath() {
        BinfmtEntry e = BinfmtEntry.parse("wine", "enabled\ninterpreter /usr/bin/wine\nflags: \nextension .exe\n")
                .orElseThrow();
        assertTrue(e.matches(new byte[256], "/games/setup.exe"));
        assertFalse(e.matches(new byte[256], "/games/setup.exe.bak"));
        assertFalse(e.fixBinary());
    }

    @Test
    void disabledEntriesAndDisabledBinfmtMatchNothing(@TempDir Path dir) throws Exception {
        BinfmtEntry off = BinfmtEntry.parse("q", QEMU_AARCH64.replace("enabled", "disabled")).orElseThrow();
        assertFalse(off.matches(arm64Header(), "/x"));
        Files.writeString(dir.resolve("status"), "disabled\n");
        Files.writeString(dir.resolve("register"), "");
        Files.writeString(dir.resolve("qemu-aarch64"), QEMU_AARCH64);
        BinfmtMisc misc = BinfmtMisc.read(dir);
        assertEquals(1, misc.entries().size());
        assertTrue(misc.match(arm64Header(), "/x").isEmpty());
        Files.writeString(dir.resolve("status"), "enabled\n");
        assertEquals("qemu-aarch64", BinfmtMisc.read(dir).match(arm64Header(), "/x").orElseThrow().name());
    }

    @Test
    void unmountedMeansNone(@TempDir Path dir) {
        assertFalse(BinfmtMisc.read(dir.resolve("absent")).enabled());
        assertTrue(BinfmtMisc.read(dir).entries().isEmpty());
    }

    @Test
    void magicPastTheFileReadsZeros() {
        BinfmtEntry e = BinfmtEntry.magic("z", true, "/i", "", 10, new byte[] {0, 0}, null);
        assertTrue(e.matches(Arrays.copyOf(new byte[] {1, 2}, 256), "/x"));
        assertEquals(List.of(), BinfmtMisc.of(true, List.of()).entries());
    }
}
