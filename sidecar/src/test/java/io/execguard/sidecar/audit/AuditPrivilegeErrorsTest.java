package io.execguard.sidecar.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.cli.Main;
import io.execguard.sidecar.testing.Command;
import io.execguard.core.testing.Privileges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in a child JVM without the privileges audit needs: capabilities dropped with setpriv, or in a new pid
 * namespace made with unshare. Each must end with the one specific sentence and exit code, never a stack trace.
 */
class AuditPrivilegeErrorsTest {
    private static final String NO_CAP = "this process lacks CAP_AUDIT_CONTROL; run as root or grant that capability.";

    @BeforeEach
    void requireRoot() {
        Privileges.requireRoot();
        Privileges.requireCommand("setpriv");
        Privileges.requireCommand("unshare");
    }

    @Test
    void withoutCapabilitiesStatusNamesTheMissingCapability() throws Exception {
        Command.Result r = dropCapabilities(Main.class.getName(), "audit", "status");
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("execguard audit status: Cannot read the audit status (EPERM): " + NO_CAP, onlyLine(r.stderr()));
    }

    @Test
    void withoutCapabilitiesRulesNameTheMissingCapability() throws Exception {
        Command.Result r = dropCapabilities(Main.class.getName(), "audit", "rules", "--list");
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("execguard audit rules: Cannot list audit rules (EPERM): " + NO_CAP, onlyLine(r.stderr()));
    }

    @Test
    void withoutCapabilitiesTheReaderNamesCapAuditRead() throws Exception {
        Command.Result r = dropCapabilities(ReaderProbe.class.getName());
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("MISSING_CAP_AUDIT_READ: Cannot read the audit stream (EPERM): this process lacks CAP_AUDIT_READ;"
                + " run as root or grant that capability.", onlyLine(r.stdout()));
    }

    @Test
    void inANewPidNamespaceControlIsRefusedWithTheReason() throws Exception {
        List<String> argv = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        argv.addAll(java(Main.class.getName(), "audit", "rules", "--list"));
        Command.Result r = Command.run(argv);
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("execguard audit rules: Cannot list audit rules (EPERM): the kernel only accepts audit control"
                + " requests from the initial pid namespace; run on the host or in a pod with hostPID: true.",
                onlyLine(r.stderr()));
    }

    @Test
    void inANewPidNamespaceTheReaderStillWorks() throws Exception {
        List<String> argv = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        argv.addAll(java(ReaderProbe.class.getName()));
        Command.Result r = Command.run(argv);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("open", onlyLine(r.stdout()));
    }

    @Test
    void inAUserNamespaceAuditSaysSo() throws Exception {
        List<String> argv = new ArrayList<>(List.of("unshare", "--user", "--map-root-user"));
        argv.addAll(java(Main.class.getName(), "audit", "status"));
        Command.Result r = Command.run(argv);
        assertEquals(3, r.exitCode(), r.stderr());
        assertEquals("execguard audit status: Cannot read the audit status (ECONNREFUSED): the kernel only accepts"
                + " audit requests from the initial user namespace; run on the host, not in a user namespace or"
                + " rootless container.", onlyLine(r.stderr()));
    }

    @Test
    void inANewNetworkNamespaceTheReaderRefusesToWaitForNothing() throws Exception {
        List<String> argv = new ArrayList<>(List.of("unshare", "--net"));
        argv.addAll(java(ReaderProbe.class.getName()));
        Command.Result r = Command.run(argv);
        assertEquals(3, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("NOT_INITIAL_NETWORK_NAMESPACE: Cannot read the audit stream here: the kernel sends audit records"
                + " only to the host's network namespace; run with hostNetwork: true, or read auditd's log file"
                + " instead.", onlyLine(r.stdout()));
    }

    @Test
    void withoutJnasNativeLibraryTheCliSaysHowToFixIt(@TempDir Path readOnly) throws Exception {
        // A container with a read-only root and no pre-extracted JNA library: every place JNA could unpack to is a
        // read-only, noexec tmpfs.
        List<String> command = java(Main.class.getName(), "audit", "status");
        command.addAll(1, List.of("-Djava.io.tmpdir=" + readOnly, "-Djna.tmpdir=" + readOnly,
                "-Duser.home=" + readOnly));
        StringBuilder script = new StringBuilder("mount -t tmpfs -o ro,noexec,size=1m tmpfs " + readOnly + " && exec");
        for (String arg : command) {
            script.append(" '").append(arg).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                script.toString());
        pb.environment().put("HOME", readOnly.toString());
        pb.environment().put("XDG_CACHE_HOME", readOnly.resolve("cache").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String stderr = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(4, p.waitFor(), stderr);
        String line = onlyLine(stderr);
        assertTrue(line.startsWith("execguard audit status: JNA's native library cannot be loaded ("), line);
        assertTrue(line.endsWith("-Djna.noclasspath=true (see docs/native.md)."), line);
    }

    private static Command.Result dropCapabilities(String main, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all"));
        argv.addAll(java(main, args));
        return Command.run(argv);
    }

    private static List<String> java(String main, String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main));
        argv.addAll(List.of(args));
        return argv;
    }

    private static String onlyLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("Picked up "))
                .collect(java.util.stream.Collectors.toList());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), text);
        assertEquals(1, lines.size(), text);
        return lines.get(0);
    }
}
