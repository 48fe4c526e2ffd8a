package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.core.testing.Privileges;
import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.AuditRules;
import io.execguard.sidecar.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * watch without CAP_SYS_PTRACE, as a real child JVM (setpriv leaves only CAP_AUDIT_READ and CAP_AUDIT_CONTROL in its
 * bounding set, as a container would) on the real audit stream. A caller of another uid fails an exec: the kernel's
 * ptrace access check refuses watch that process's root, and the event must say so - the root, EACCES and the
 * missing capability - with no diagnosis at all, rather than one made in watch's own root (where the same file, by
 * device and inode, would otherwise have been judged with watch's credentials: NO_EXECUTE_PERMISSION for an
 * ENOEXEC failure, before this was fixed).
 */
class WatchWithoutSysPtraceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aRefusedRootIsNamedWithItsErrnoAndCapabilityAndNoOtherRootIsUsed() throws Exception {
        Privileges.requireRoot();
        Privileges.requireCommand("setpriv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = dir.resolve("no-shebang");
        Files.writeString(file, ": no interpreter line\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
        String key = "execguard-noptrace-" + UUID.randomUUID().toString().substring(0, 8);
        WatchProcess watch = WatchProcess.start(dir, "noptrace", List.of("setpriv",
                "--bounding-set=-all,+audit_read,+audit_control", "--inh-caps=-all"),
                List.of("--install-rules", "--rule-key", key));
        try {
            watch.awaitReady();
            String said = Files.readString(watch.stderr);
            assertTrue(said.contains("no CAP_SYS_PTRACE"), "start-up names the missing capability: " + said);
            Command.Result r = Command.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "/bin/sh", "-c", "'" + file + "'; sleep 2"));
            assertEquals(0, r.exitCode(), "dash runs the file itself after ENOEXEC: " + r.stderr());

            JsonNode e = onlyEventFor(watch, file.toString());
            assertEquals("ENOEXEC", e.at("/error/code").asText());
            assertEquals("65534", e.at("/user/id").asText());
            assertTrue(e.at("/execguard/diagnosis").isMissingNode(), () -> "no diagnosis without the root: " + e);
            assertTrue(e.at("/execguard/details/root").isMissingNode(), () -> "not diagnosed in any other root: " + e);
            String skipped = e.at("/execguard/details/diagnosis_skipped").asText();
            assertTrue(skipped.matches(".*/proc/\\d+/root,? could not be opened \\(EACCES\\).*CAP_SYS_PTRACE.*"),
                    skipped);
            assertTrue(e.at("/message").asText().contains(skipped), () -> "the message says why: " + e);
            watch.process.destroy();
            assertTrue(watch.process.waitFor(20, TimeUnit.SECONDS), "watch stops on SIGTERM");
        } finally {
            watch.process.destroyForcibly();
            watch.process.waitFor(20, TimeUnit.SECONDS);
            WatchProcess.removeAll(key);
        }
    }

    /**
     * Pod scope, as a sidecar with only CAP_AUDIT_READ sharing a pid namespace with an app of another uid whose
     * file lives in its own mount namespace (a tmpfs, as a container's root is its own): the kernel refuses the
     * app's root, so the failure can be neither claimed nor ruled out. It must not be written (it may be another
     * pod's), but counted as unattributed - not as another pod's - and named in a warning with the errno and the
     * missing capability.
     */
    @Test
    void podScopeCountsAndNamesAFailureItCannotAttributeAndWritesNothing() throws Exception {
        Privileges.requireRoot();
        for (String command : List.of("setpriv", "unshare", "nsenter")) {
            Privileges.requireCommand(command);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path container = Files.createDirectories(dir.resolve("container"));
        Path entrypoint = container.resolve("entrypoint");
        String key = "execguard-pod-" + UUID.randomUUID().toString().substring(0, 8);
        // Rule changes are refused outside the initial pid namespace: the node installs them, as in the examples.
        try (AuditClient client = AuditClient.open()) {
            for (AuditRule rule : AuditRules.execFailures(AuditRules.DEFAULT_ERRNOS, key)) {
                client.addRule(rule);
            }
        }
        WatchProcess watch = WatchProcess.start(dir, "pod", List.of("unshare", "--pid", "--fork", "--kill-child",
                "--mount-proc", "setpriv", "--bounding-set=-all,+audit_read", "--inh-caps=-all"),
                List.of("--scope", "pod"));
        try {
            watch.awaitReady();
            assertTrue(Files.readString(watch.stderr).contains("no CAP_SYS_PTRACE"));
            long inPod = watch.process.toHandle().children().findFirst().orElseThrow().pid();
            String app = "mount -t tmpfs tmpfs '" + container + "' && printf ': no interpreter line\\n' > '"
                    + entrypoint + "' && chmod 755 '" + entrypoint + "' && exec setpriv --reuid=65534 --regid=65534"
                    + " --clear-groups /bin/sh -c \"'" + entrypoint + "'; sleep 3\"";
            Command.Result r = Command.run(List.of("nsenter", "--target", Long.toString(inPod), "--pid", "--",
                    "unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", app));
            assertEquals(0, r.exitCode(), r.stderr());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (watch.metric("execguard_exec_failures_unattributed_total") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(watch.metric("execguard_exec_failures_unattributed_total") >= 1,
                    () -> "counted as unattributed; watch said: " + stderr(watch));
            String said = stderr(watch);
            assertTrue(said.matches("(?s).*pod scope: .*could not be attributed to this pod, because the root of pid"
                    + " \\d+ \\(sh\\), /proc/\\d+/root, could not be opened \\(EACCES\\).*CAP_SYS_PTRACE.*"), said);
            assertTrue(events(watch, entrypoint.toString()).isEmpty(), "an unattributed failure is not written");
        } finally {
            watch.process.destroyForcibly();
            watch.process.waitFor(20, TimeUnit.SECONDS);
            WatchProcess.removeAll(key);
        }
    }

    /** The one exec-failed event for {@code path} that watch wrote, waiting up to 10 s for it. */
    private static JsonNode onlyEventFor(WatchProcess watch, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<JsonNode> found = events(watch, path);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = events(watch, path);
        }
        Thread.sleep(300); // a duplicate would arrive right behind
        List<JsonNode> all = events(watch, path);
        assertEquals(1, all.size(), () -> "events for " + path + ": " + all + "; watch said: " + stderr(watch));
        return all.get(0);
    }

    private static List<JsonNode> events(WatchProcess watch, String path) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(watch.stdout)) {
            JsonNode e = JSON.readTree(line);
            if (path.equals(e.at("/file/path").asText()) && "exec-failed".equals(e.at("/event/action").asText())) {
                found.add(e);
            }
        }
        return found;
    }

    private static String stderr(WatchProcess watch) {
        try {
            return Files.readString(watch.stderr);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
