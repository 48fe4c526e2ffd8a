package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.netlink.AuditClient;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code execguard watch --install-rules} as a real child JVM for tests, with its own stdout (events) and stderr
 * (messages) files and HTTP port; optionally started through a launcher such as {@code setpriv} to run it with fewer
 * privileges. Also reads its /metrics, and counts and removes rules by key, so that a failed test never leaves rules
 * on the machine.
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
        return start(dir, name, List.of(), List.of("--install-rules", "--rule-key", key));
    }

    /**
     * Starts watch with {@code --dedupe-window 0} and {@code options}, with {@code launcher} (e.g. setpriv and its
     * options, or unshare) in front.
     */
    static WatchProcess start(Path dir, String name, List<String> launcher, List<String> options)
            throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.execguard.sidecar.cli.Main", "watch", "--listen", "127.0.0.1:" + port, "--dedupe-window", "0"));
        command.addAll(options);
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

    /** Watch's /metrics, as text. */
    String metricsText() throws IOException {
        return get("/metrics");
    }

    /** The body of an HTTP GET of {@code path} on watch's port. */
    String get(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        try {
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** The sum of the samples of {@code name} in watch's /metrics. */
    long metric(String name) throws IOException {
        return sum(metricsText(), name);
    }

    /** The sum of the samples of {@code name} in a Prometheus text exposition. */
    static long sum(String text, String name) {
        long sum = 0;
        for (String l : text.split("\n")) {
            if (l.startsWith(name + " ") || l.startsWith(name + "{")) {
                sum += (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return sum;
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
