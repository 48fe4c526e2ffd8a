package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.netlink.AuditClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code execguard watch --install-rules} as a real child JVM for tests, with its own stdout (events) and stderr
 * (messages) files and HTTP port; optionally started through a launcher such as {@code setpriv} to run it with fewer
 * privileges. Also counts and removes rules by key, so that a failed test never leaves rules on the machine.
 */
final class WatchProcess {
    final Process process;
    final Path stdout;
    final Path stderr;
    final int port;

    private WatchProcess(Process process, Path stdout, Path stderr, int port) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
    }

    /** Starts watch with {@code --install-rules --rule-key KEY --dedupe-window 0}. */
    static WatchProcess start(Path dir, String name, String key) throws IOException {
        return start(dir, name, key, List.of());
    }

    /** As {@link #start(Path, String, String)}, with {@code launcher} (e.g. setpriv and its options) in front. */
    static WatchProcess start(Path dir, String name, String key, List<String> launcher) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.execguard.sidecar.cli.Main", "watch", "--install-rules", "--rule-key", key, "--listen",
                "127.0.0.1:" + port, "--dedupe-window", "0"));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new WatchProcess(p, out, err, port);
    }

    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(stderr);
            if (lines.stream().anyMatch(l -> l.contains("watch: ready"))) {
                return;
            }
            assertTrue(process.isAlive(), () -> "watch exited: " + String.join("\n", lines));
            Thread.sleep(50);
        }
        throw new AssertionError("watch not ready in 30 s: " + Files.readString(stderr));
    }

    static int rulesWith(String key) throws IOException {
        try (AuditClient client = AuditClient.open()) {
            return (int) client.listRules().stream().filter(r -> r.hasKey(key)).count();
        }
    }

    static void removeAll(String key) throws IOException {
        try (AuditClient client = AuditClient.open()) {
            for (var rule : client.listRules()) {
                if (rule.hasKey(key)) {
                    client.deleteRule(rule);
                }
            }
        }
    }
}
