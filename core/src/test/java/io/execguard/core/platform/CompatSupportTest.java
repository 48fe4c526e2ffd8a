package io.execguard.core.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How 32-bit compat support is read from files: boot option, kernel config, the vsyscall32 sysctl. */
class CompatSupportTest {
    @TempDir
    Path root;

    private void file(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void bootOptionWins() throws IOException {
        file("proc/cmdline", "quiet ia32_emulation=0 root=/dev/vda");
        file("proc/sys/kernel/osrelease", "6.18.0\n");
        file("boot/config-6.18.0", "CONFIG_IA32_EMULATION=y\n");
        CompatSupport c = CompatSupport.detect("amd64", root);
        assertFalse(c.enabled(), c.toString());
        file("proc/cmdline", "ia32_emulation=on");
        assertTrue(CompatSupport.detect("amd64", root).enabled());
    }

    @Test
    void configDefaultDisabled() throws IOException {
        file("proc/cmdline", "quiet -- ia32_emulation=1");
        file("proc/sys/kernel/osrelease", "6.18.0\n");
        file("boot/config-6.18.0", "CONFIG_IA32_EMULATION=y\nCONFIG_IA32_EMULATION_DEFAULT_DISABLED=y\n");
        assertFalse(CompatSupport.detect("amd64", root).enabled(), "arguments after -- are for init");
        file("boot/config-6.18.0", "# CONFIG_IA32_EMULATION is not set\n");
        assertFalse(CompatSupport.detect("amd64", root).enabled());
        file("boot/config-6.18.0", "CONFIG_IA32_EMULATION=y\n");
        assertTrue(CompatSupport.detect("amd64", root).enabled());
    }

    @Test
    void withoutConfigTheVsyscall32SysctlTells() throws IOException {
        file("proc/cmdline", "quiet");
        assertFalse(CompatSupport.detect("amd64", root).enabled());
        file("proc/sys/abi/vsyscall32", "1\n");
        assertTrue(CompatSupport.detect("amd64", root).enabled());
    }

    @Test
    void arm64UsesAarch32El0() throws IOException {
        file("sys/devices/system/cpu/aarch32_el0", "\n");
        assertFalse(CompatSupport.detect("arm64", root).enabled());
        file("sys/devices/system/cpu/aarch32_el0", "0-3\n");
        assertTrue(CompatSupport.detect("arm64", root).enabled());
        assertFalse(CompatSupport.detect("riscv64", root).enabled());
    }

    @Test
    void thisMachine() {
        CompatSupport c = CompatSupport.detect(Platform.host().architecture());
        assertTrue(c.source().length() > 0, c.toString());
    }
}
