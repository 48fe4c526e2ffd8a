package io.execguard.sidecar.audit.netlink;

import io.execguard.sidecar.audit.rule.AuditArch;
import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.AuditRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Measures how long a failed exec's audit event takes from the kernel's timestamp to the moment the multicast reader
 * holds its last record (EOE), at a given rate. Run by {@code bench/audit-reader-latency.sh} (root).
 *
 * <p>Arguments: path of the failexec helper, path of the fixture (a file without {@code #!}), count, rate per second.
 */
public final class ReaderLatencyBench {
    private ReaderLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        String helper = args[0];
        Path fixture = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        String key = "execguard-bench-" + UUID.randomUUID().toString().substring(0, 8);
        AuditRule rule = AuditRules.execFailure(AuditArch.host64(), "ENOEXEC", key);
        try (AuditClient client = AuditClient.open()) {
            if (!client.status().isEnabled()) {
                client.setEnabled(true);
            }
            client.addRule(rule);
            long lostBefore = client.status().lost();
            try (AuditMulticastReader reader = AuditMulticastReader.open()) {
                System.out.println("reader open");
                Process p = new ProcessBuilder(helper, fixture.toString(), String.valueOf(count),
                        String.valueOf(rate)).inheritIO().start();
                List<Long> latencies = collect(reader, fixture.toString(), count);
                p.waitFor();
                report(count, rate, latencies, reader, client.status().lost() - lostBefore);
            } finally {
                client.deleteRule(rule);
            }
        }
    }

    /** Latency in microseconds per complete event of ours (PATH naming the fixture, then EOE). */
    private static List<Long> collect(AuditMulticastReader reader, String fixture, int count) throws Exception {
        Map<String, Boolean> ours = new HashMap<>();
        List<Long> latencies = new ArrayList<>(count);
        while (latencies.size() < count) {
            Optional<NetlinkRecord> r = reader.read(Duration.ofSeconds(3));
            if (r.isEmpty()) {
                break;
            }
            String text = r.get().text();
            int close = text.indexOf(')');
            if (!text.startsWith("audit(") || close < 0) {
                continue;
            }
            String id = text.substring(6, close);
            if (r.get().type() == 1302 && text.contains("name=\"" + fixture + "\"")) {
                ours.put(id, true);
            } else if (r.get().type() == 1320 && ours.remove(id) != null) {
                latencies.add(micros(r.get().receivedAt()) - micros(auditTime(id)));
            }
        }
        return latencies;
    }

    private static Instant auditTime(String id) {
        String seconds = id.substring(0, id.indexOf(':'));
        int dot = seconds.indexOf('.');
        return Instant.ofEpochSecond(Long.parseLong(seconds.substring(0, dot)),
                Long.parseLong(seconds.substring(dot + 1)) * 1_000_000L);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static void report(int count, int rate, List<Long> latencies, AuditMulticastReader reader,
                               long kernelLost) throws Exception {
        Collections.sort(latencies);
        System.out.printf("events: %d of %d at %d/s received; reader overflows: %d; kernel lost: %d%n",
                latencies.size(), count, rate, reader.overflows(), kernelLost);
        if (!latencies.isEmpty()) {
            System.out.printf("kernel timestamp -> EOE in reader (ms, timestamp has 1 ms resolution):"
                    + " p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", pct(latencies, 50), pct(latencies, 90),
                    pct(latencies, 99), latencies.get(latencies.size() - 1) / 1000.0);
        }
        System.out.println("load: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
    }
}
