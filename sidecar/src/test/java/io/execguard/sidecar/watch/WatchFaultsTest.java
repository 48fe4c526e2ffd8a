package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.testing.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code execguard watch --install-rules} under faults, as a real child JVM on the real audit stream (root, CI):
 * killed with SIGKILL (no shutdown hook runs, its rules stay behind) and started again with the same key, it
 * adopts those rules instead of doubling them and removes them all at SIGTERM; a burst of failed execs while it
 * runs is either emitted in full or the shortfall shows in its loss counters - never silently missing. The slow
 * variant (10,000 execs from a C helper) is {@code bench/sidecar-faults.sh}.
 */
class WatchFaultsTest {
    private static final int BURST = 300;

    @TempDir
    Path dir;

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
        long losses = WatchProcess.sum(metrics, "execguard_audit_kernel_lost_total")
                + WatchProcess.sum(metrics, "execguard_audit_reassembly_gaps_total")
                + WatchProcess.sum(metrics, "execguard_events_dropped_total");
        System.out.println("burst of " + BURST + ": emitted " + emitted + ", loss counters " + losses);
        assertTrue(emitted == BURST || losses > 0,
                "emitted " + emitted + " of " + BURST + " with no loss reported:\n" + metrics);
        assertTrue(emitted <= BURST, "never more events than execs");
    }
}
