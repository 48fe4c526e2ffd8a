package io.execguard.agent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
    @Test
    void readsMuslAndGlibcFromRecordedMaps(@TempDir Path dir) throws IOException {
        Path musl = Files.writeString(dir.resolve("musl"),
                "7f1c2e000000-7f1c2e014000 r--p 00000000 00:2f 1234 /lib/ld-musl-x86_64.so.1\n");
        Path glibc = Files.writeString(dir.resolve("glibc"),
                "7f7f1a028000-7f7f1a1bd000 r-xp 00028000 08:01 5678 /usr/lib/x86_64-linux-gnu/libc.so.6\n");
        assertEquals(Launcher.Libc.MUSL, Launcher.detectLibc(musl));
        assertEquals(Launcher.Libc.GLIBC, Launcher.detectLibc(glibc));
        assertEquals(Launcher.Libc.OTHER, Launcher.detectLibc(dir.resolve("missing")));
    }

    @Test
    void thisJvmRunsOnGlibc() {
        assertEquals(Launcher.Libc.GLIBC, Launcher.current().libc(), "this build machine is Debian (glibc)");
    }

    @Test
    void onlyGlibcOrVforkWithItsOwnEnvironmentFallsBackToShell() {
        assertTrue(Launcher.of(Launcher.Libc.GLIBC, "posix_spawn").fallsBackToShell(false));
        assertFalse(Launcher.of(Launcher.Libc.MUSL, "POSIX_SPAWN").fallsBackToShell(true));
        assertFalse(Launcher.of(Launcher.Libc.MUSL, "VFORK").fallsBackToShell(false));
        assertTrue(Launcher.of(Launcher.Libc.MUSL, "VFORK").fallsBackToShell(true));
    }
}
