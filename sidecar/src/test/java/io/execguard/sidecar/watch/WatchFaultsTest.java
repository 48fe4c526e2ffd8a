package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.sidecar.audit.netlink.AuditStatus;
import io.execguard.core.testing.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code execguard watch --install-rules} under faults, as a real child JVM on the real audit stream (root, CI):
 * killed with SIGKILL (no shutdown hook runs, its rules stay behind) and started again with the same key, it
 * adopts those rules instead of doubling them and removes them all at SIGTERM; a burst of failed execs while it
 * runs is either emitted in full or the shortfall shows in its loss counters - never silently missing.
 *
 * <p>{@link #lossesUnderOverloadAreReportedAndWatchRecovers} makes the kernel lose records for real, twice: watch
 * (with a small socket buffer) stopped with SIGSTOP during a burst (the buffer overflows), then the kernel's own backlog shrunk to
 * {@value #TINY_BACKLOG} records with no waiting (the kernel drops records before any reader). The second part
 * changes the host's audit settings for well under a second and puts them back, also when the test fails. The
 * slow variant (10,000 execs from a C helper) is {@code bench/sidecar-faults.sh}.
 */
class WatchFaultsTest {
    private static final int BURST = 300;
    /**
     * Failed execs while watch is stopped: far more records than its socket buffer holds - 1 MiB asked for
     * ({@code --receive-buffer}), ~2,200 records (the default 8 MiB holds ~18,000: {@code bench/sidecar-faults.sh}).
     */
    private static final int STOPPED_BURST = 3_000;
    private static final String SMALL_BUFFER = "1m";
    private static final int BACKLOG_BURST = 1_000;
    private static final long TINY_BACKLOG = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AuditStatus found;

    @TempDir
    Path dir;

    /** The host's audit settings before any test here ran: every test leaves them exactly so. */
    @BeforeAll
    static void noteAuditSettings() throws IOException {
        if (Privileges.isRoot()) {
            try (AuditClient client = AuditClient.open()) {
                found = client.status();
            }
        }
    }

    @AfterAll
    static void restoreAuditSettings() throws IOException {
        if (found == null) {
            return;
        }
        try (AuditClient client = AuditClient.open()) {
            client.setLimits(found.limits());
            if (!found.isEnabled() && client.status().isEnabled()) {
                client.setEnabled(false); // watch --install-rules enabled it, and would leave it so
            }
        }
    }

    @Test
    void lossesUnderOverloadAreReportedAndWatchRecovers() throws Exception {
        Privileges.requireRoot();
        Privileges.requireCommand("python3");
        String key = "execguard-loss-" + UUID.randomUUID().toString().substring(0, 8);
        WatchProcess watch = WatchProcess.start(dir, "loss", List.of(),
                List.of("--install-rules", "--rule-key", key, "--receive-buffer", SMALL_BUFFER));
        try {
            watch.awaitReady();
            socketOverflowIsCountedExactly(watch);
            kernelBacklogOverflowShowsInTheKernelLostCounter(watch);
            Counts before = Counts.of(watch.metricsText());
            String name = fixture("after");
            burst(name, 20);
            assertEquals(20, awaitEmitted(watch, name, 20).size(), "after the overload every failure comes out");
            assertEquals(Counts.of(watch.metricsText()).losses(), before.losses(), "and nothing is lost");
            assertEquals("ok\n", watch.get("/healthz"));
            watch.process.destroy(); // SIGTERM
            assertTrue(watch.process.waitFor(30, TimeUnit.SECONDS), "watch stops on SIGTERM");
            String log = Files.readString(watch.stderr);
            System.out.println(log);
            assertTrue(log.contains("records dropped at watch's socket"), log);
            assertTrue(log.contains("records dropped by the kernel"), log);
            assertTrue(log.contains("audit events missing (serial gaps)"), log);
        } finally {
            watch.process.destroyForcibly();
            watch.process.waitFor(10, TimeUnit.SECONDS);
            WatchProcess.removeAll(key);
        }
    }

    /**
     * SIGSTOP: the kernel keeps multicasting into the socket until its buffer is full, then discards and sets
     * ENOBUFS. Each failed exec is one audit event of five records with its own serial, so every exec not emitted
     * must show as a missing serial - except that at each overflow's two edges an event may be cut in half (its
     * SYSCALL kept and PATH lost: emitted without the path, or the other way round: nothing to emit). Gaps are
     * counted once a later serial arrives, so a marker exec follows the burst.
     */
    private void socketOverflowIsCountedExactly(WatchProcess watch) throws Exception {
        Counts before = Counts.of(watch.metricsText());
        String name = fixture("stopped");
        signal("STOP", watch.process.pid());
        try {
            burst(name, STOPPED_BURST);
        } finally {
            signal("CONT", watch.process.pid());
        }
        // A missing serial shows only once a later one arrives: on a quiet host that may take a while, so make one.
        String marker = fixture("marker");
        burst(marker, 1);
        awaitEmitted(watch, marker, 1);
        List<String> emitted = awaitEmitted(watch, name, STOPPED_BURST);
        Counts d = Counts.of(watch.metricsText()).minus(before);
        long missing = STOPPED_BURST - emitted.size();
        System.out.println("SIGSTOP burst of " + STOPPED_BURST + ": emitted " + emitted.size() + ", " + d);
        assertOncePerEvent(emitted);
        assertTrue(d.overflows >= 1 && d.socketDropped > 0, () -> "the stopped socket overflowed: " + d);
        assertTrue(missing > 0, "a stopped watch with a " + SMALL_BUFFER + " buffer cannot have taken " + STOPPED_BURST
                + " execs");
        assertTrue(d.gaps >= missing - 2 * d.overflows, () -> missing + " execs missing, but only " + d);
        assertTrue(d.socketDropped >= d.gaps, () -> "each missing serial lost its records at the socket: " + d);
    }

    /**
     * backlog_limit {@value #TINY_BACKLOG} and backlog_wait_time 0: the kernel drops records before it stamps them
     * with a serial, so whole events vanish without a gap. Only its lost counter (host-wide) tells: watch's metric
     * must move by exactly what the kernel's moved, and each exec not emitted lost at least one record.
     */
    private void kernelBacklogOverflowShowsInTheKernelLostCounter(WatchProcess watch) throws Exception {
        Counts before = Counts.of(watch.metricsText());
        String name = fixture("backlog");
        long lostBefore;
        long lostAfter;
        try (AuditClient client = AuditClient.open()) {
            AuditStatus was = client.status();
            lostBefore = was.lost();
            try {
                client.setLimits(new AuditStatus.Limits(Optional.empty(), Optional.of(TINY_BACKLOG),
                        Optional.of(0L)));
                burst(name, BACKLOG_BURST);
            } finally {
                client.setLimits(was.limits());
            }
            lostAfter = client.status().lost();
        }
        List<String> emitted = awaitEmitted(watch, name, BACKLOG_BURST);
        long kernelLost = lostAfter - lostBefore;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // watch samples the counter each second
        Counts d = Counts.of(watch.metricsText()).minus(before);
        while (d.kernelLost < kernelLost && System.nanoTime() < deadline) {
            Thread.sleep(200);
            d = Counts.of(watch.metricsText()).minus(before);
        }
        Counts delta = d;
        long missing = BACKLOG_BURST - emitted.size();
        System.out.println("backlog burst of " + BACKLOG_BURST + ": emitted " + emitted.size() + ", kernel lost "
                + kernelLost + ", " + delta);
        assertOncePerEvent(emitted);
        assertTrue(kernelLost > 0, "a backlog of " + TINY_BACKLOG + " with no waiting drops records");
        assertTrue(delta.kernelLost >= kernelLost, () -> "watch reports the kernel's " + kernelLost + ": " + delta);
        assertTrue(missing <= delta.kernelLost + delta.socketDropped + delta.gaps,
                () -> missing + " execs missing, more than the records reported lost: " + delta);
    }

    private static void assertOncePerEvent(List<String> emitted) throws IOException {
        Set<String> ids = new HashSet<>();
        for (String line : emitted) {
            String id = JSON.readTree(line).path("event").path("id").asText();
            assertTrue(ids.add(id), "event " + id + " written twice");
        }
    }

    /**
     * Waits until all {@code expected} events for {@code name} are there, or watch has nothing queued and no new
     * one came for 2 s (the reassembler counts a missing serial after its 1 s reorder window).
     */
    private static List<String> awaitEmitted(WatchProcess watch, String name, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<String> emitted = List.of();
        int last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            emitted = Files.readAllLines(watch.stdout).stream()
                    .filter(l -> l.contains(name) && l.contains("exec-failed")).collect(Collectors.toList());
            if (emitted.size() >= expected) {
                break;
            }
            if (emitted.size() != last || WatchProcess.sum(watch.metricsText(), "execguard_watch_queued_events") > 0) {
                last = emitted.size();
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2)) {
                break;
            }
            Thread.sleep(100);
        }
        return emitted;
    }

    private String fixture(String prefix) throws IOException {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path fixture = dir.resolve(name);
        Files.writeString(fixture, "true\n");
        fixture.toFile().setExecutable(true, false);
        return name;
    }

    /** {@code count} failed execs (ENOEXEC) of {@code name} from one python process, as fast as it goes. */
    private void burst(String name, int count) throws Exception {
        String script = "import os, sys\nf = sys.argv[1]\nfor _ in range(int(sys.argv[2])):\n"
                + "    try:\n        os.execv(f, [f])\n    except OSError:\n        pass\n";
        Process p = new ProcessBuilder("python3", "-c", script,
                dir.resolve(name).toString(), Integer.toString(count)).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "the burst ran");
    }

    /** Through the shell's built-in kill: the JDK can send SIGTERM and SIGKILL only, and procps may be absent. */
    private static void signal(String signal, long pid) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -" + signal);
    }

    /** The loss counters on /metrics. */
    private static final class Counts {
        final long kernelLost;
        final long overflows;
        final long socketDropped;
        final long gaps;
        final long dropped;

        Counts(long kernelLost, long overflows, long socketDropped, long gaps, long dropped) {
            this.kernelLost = kernelLost;
            this.overflows = overflows;
            this.socketDropped = socketDropped;
            this.gaps = gaps;
            this.dropped = dropped;
        }

        static Counts of(String metrics) {
            return new Counts(WatchProcess.sum(metrics, "execguard_audit_kernel_lost_total"),
                    WatchProcess.sum(metrics, "execguard_audit_socket_overflows_total"),
                    WatchProcess.sum(metrics, "execguard_audit_socket_dropped_records_total"),
                    WatchProcess.sum(metrics, "execguard_audit_reassembly_gaps_total"),
                    WatchProcess.sum(metrics, "execguard_events_dropped_total"));
        }

        Counts minus(Counts o) {
            return new Counts(kernelLost - o.kernelLost, overflows - o.overflows, socketDropped - o.socketDropped,
                    gaps - o.gaps, dropped - o.dropped);
        }

        long losses() {
            return kernelLost + overflows + socketDropped + gaps + dropped;
        }

        @Override
        public String toString() {
            return "kernel lost " + kernelLost + ", socket overflows " + overflows + ", socket dropped records "
                    + socketDropped + ", serial gaps " + gaps + ", dropped " + dropped;
        }
    }

    @Test
    void killNineThenRestartLeavesNeitherDuplicateNorOrphanRules() throws Exception {
        Privileges.requireRoot();
        String key = "execguard-faults-" + UUID.randomUUID().toString().substring(0, 8);
        WatchProcess first = WatchProcess.start(dir, "first", key);
        int installed;
        try {
            first.awaitReady();
            installed = WatchProcess.rulesWith(key);
            assertTrue(installed > 0, "rules installed");
            first.process.destroyForcibly(); // SIGKILL: no shutdown hook
            assertTrue(first.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(installed, WatchProcess.rulesWith(key),
                    "SIGKILL leaves the rules (nothing could remove them)");
        } finally {
            first.process.destroyForcibly();
        }
        WatchProcess second = WatchProcess.start(dir, "second", key);
        int left;
        try {
            second.awaitReady();
            assertEquals(installed, WatchProcess.rulesWith(key),
                    "the restart adopts the rules left behind, no duplicates");
            burstIsEmittedOrCounted(second);
            second.process.destroy(); // SIGTERM
            assertTrue(second.process.waitFor(20, TimeUnit.SECONDS), "watch stops on SIGTERM");
        } finally {
            second.process.destroyForcibly();
            left = WatchProcess.rulesWith(key);
            WatchProcess.removeAll(key); // never leave a failed run's rules on the machine
        }
        assertEquals(0, left, "no orphan rules after the restarted watch stopped");
    }

    /** BURST failed execs of one fixture from dash (each ENOEXEC, then dash runs it itself). */
    private void burstIsEmittedOrCounted(WatchProcess watch) throws Exception {
        String name = "burst-" + UUID.randomUUID().toString().substring(0, 8);
        Path fixture = dir.resolve(name);
        Files.writeString(fixture, "true\n");
        fixture.toFile().setExecutable(true, false);
        Process sh = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt " + BURST + " ]; do ./" + name
                + "; i=$((i+1)); done").directory(dir.toFile()).inheritIO().start();
        assertTrue(sh.waitFor(120, TimeUnit.SECONDS) && sh.exitValue() == 0, "the burst ran");
        long emitted = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline && emitted < BURST) {
            emitted = Files.readAllLines(watch.stdout).stream()
                    .filter(l -> l.contains(name) && l.contains("exec-failed")).count();
            if (emitted != last) {
                last = emitted;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(5)) {
                break;
            }
            Thread.sleep(100);
        }
        String metrics = watch.metricsText();
        long losses = Counts.of(metrics).losses();
        System.out.println("burst of " + BURST + ": emitted " + emitted + ", loss counters " + losses);
        assertTrue(emitted == BURST || losses > 0,
                "emitted " + emitted + " of " + BURST + " with no loss reported:\n" + metrics);
        assertTrue(emitted <= BURST, "never more events than execs");
    }
}
