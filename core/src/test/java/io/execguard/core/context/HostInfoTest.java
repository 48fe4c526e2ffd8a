package io.execguard.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInfoTest {
    @Test
    void agreesWithUname() throws Exception {
        HostInfo host = HostInfo.current();
        assertEquals(Optional.of(uname("-n")), host.hostname());
        assertEquals(Optional.of(uname("-m")), host.architecture());
        assertEquals(Optional.of(uname("-r")), host.kernel());
    }

    @Test
    void fallsBackToJavaPropertiesWithoutProcSysKernel(@TempDir Path emptyProc) {
        HostInfo host = HostInfo.read(emptyProc);
        assertEquals(Optional.empty(), host.hostname());
        assertEquals(Optional.of(HostInfo.unameMachine(System.getProperty("os.arch"))), host.architecture());
        assertEquals(Optional.of(System.getProperty("os.version")), host.kernel());
    }

    @Test
    void mapsJavaArchitectureNamesToTheKernels() {
        assertEquals("x86_64", HostInfo.unameMachine("amd64"));
        assertEquals("aarch64", HostInfo.unameMachine("aarch64"));
        assertEquals("riscv64", HostInfo.unameMachine("riscv64"));
    }

    @Test
    void readsARecordedProcSysKernel(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/hostname"), "node-7\n");
        Files.writeString(proc.resolve("sys/kernel/arch"), "aarch64\n");
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "6.1.0-18-arm64\n");
        assertEquals(new HostInfo("node-7", "aarch64", "6.1.0-18-arm64"), HostInfo.read(proc));
    }

    private static String uname(String flag) throws Exception {
        Process p = new ProcessBuilder("uname", flag).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor());
        return out;
    }
}
