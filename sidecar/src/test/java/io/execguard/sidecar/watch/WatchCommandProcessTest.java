package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.core.testing.Privileges;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code execguard watch --install-rules} as a real child JVM: it gets ready through the kernel, serves /readyz and
 * /metrics, and after SIGTERM its shutdown hook removes exactly the rules it installed.
 */
class WatchCommandProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigtermRemovesTheInstalledRules() throws Exception {
        Path log = dir.resolve("watch.log");
        Privileges.requireRoot();
        String key = "execguard-watch-test-" + UUID.randomUUID().toString().substring(0, 8);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.execguard.sidecar.cli.Main", "watch", "--install-rules", "--rule-key", key, "--listen",
                "127.0.0.1:" + port, "--output", "stderr").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        List<String> lines = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && lines.stream().noneMatch(l -> l.contains("ready"))) {
                Thread.sleep(20);
                lines.clear();
                lines.addAll(Files.readAllLines(log));
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains("watch: ready")), () -> String.join("\n", lines));
            try (AuditClient client = AuditClient.open()) {
                assertEquals(12, client.listRules().stream().filter(r -> r.hasKey(key)).count());
            }
            assertEquals(200, get(port, "/readyz").status);
            assertEquals(200, get(port, "/healthz").status);
            Response metrics = get(port, "/metrics");
            assertTrue(metrics.body.contains("execguard_audit_records_total"), metrics.body);
            assertTrue(metrics.body.contains("execguard_audit_kernel_lost_total"), metrics.body);
            assertEquals(404, get(port, "/other").status);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "watch stops on SIGTERM");
            lines.clear();
            lines.addAll(Files.readAllLines(log));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("removed the audit rules")),
                () -> "exit " + p.exitValue() + ": " + String.join("\n", lines));
        try (AuditClient client = AuditClient.open()) {
            assertTrue(client.listRules().stream().noneMatch(r -> r.hasKey(key)), "rules left behind");
        }
    }

    private record Response(int status, String body) {
    }

    private static Response get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        int status = c.getResponseCode();
        var in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        c.disconnect();
        return new Response(status, body);
    }
}
