package io.execguard.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An unprivileged reader (uid 65534, no capabilities) looks at this root JVM through the real kernel: it gets the
 * facts /proc grants everyone, and empty values - not an exception, not a missing process - for the links the
 * kernel guards with ptrace access checks (exe, cwd, ns/*).
 */
class ProcessContextPrivilegeTest {
    @Test
    void anUnprivilegedReaderGetsWhatItMaySeeAndNothingElse() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean root = ProcessContext.self().orElseThrow().userIds().effectiveUid() == 0;
        boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv"));
        if (!ci) {
            assumeTrue(root && setpriv, "needs root and setpriv to start an unprivileged reader");
        }
        assumeTrue(!Files.readString(Path.of("/proc/mounts")).matches("(?s).* /proc proc [^ ]*hidepid.*"),
                "/proc is mounted with hidepid: other users' processes are invisible by design");
        String classes = Path.of(ProcessContextProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + ":" + Path.of(ProcessContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", java.toString(), "-Xshare:off", "-cp", classes,
                ProcessContextProbe.class.getName(), Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        Map<String, String> seen = new LinkedHashMap<>();
        out.lines().filter(l -> l.contains("=")).forEach(l -> seen.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));

        assertEquals("true", seen.get("present"), out);
        assertEquals("java", seen.get("name"));
        assertEquals("0", seen.get("uid"));
        assertTrue(Integer.parseInt(seen.get("args")) > 1, out);
        assertTrue(Integer.parseInt(seen.get("capabilities")) > 0, out);
        assertEquals("", seen.get("exe"), "exe needs ptrace access");
        assertEquals("", seen.get("cwd"), "cwd needs ptrace access");
        assertEquals("0", seen.get("namespaces"), "ns links need ptrace access");
    }
}
