package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.HostFileTree;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.ExecFailureExtractor;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod scope on this machine's real /proc: a failure belongs to "the pod" when some visible process's root holds
 * the very file (device and inode) the PATH record names - here the test JVM's own root does. A root the kernel
 * will not open (here: a real zombie's, which has none any more) makes a failure that no other root holds
 * unattributed - counted and named in a warning, never written and never counted as another pod's.
 */
class PodScopeTest {
    private static final AuditRecordParser PARSER = new AuditRecordParser();

    private final List<Path> views = new ArrayList<>();

    @TempDir
    Path dir;

    private static AuditEvent event(Path file, long inode, String dev, long millis) throws Exception {
        String stamp = "msg=audit(" + millis / 1000 + "." + String.format("%03d", millis % 1000) + ":9): ";
        return AuditEvent.of(List.of(
                PARSER.parseLogLine("type=SYSCALL " + stamp + "arch=c000003e syscall=59 success=no exit=-8"
                        + " pid=999999 ppid=999998"),
                PARSER.parseLogLine("type=CWD " + stamp + "cwd=\"" + file.getParent() + "\""),
                PARSER.parseLogLine("type=PATH " + stamp + "item=0 name=\"" + file.getFileName() + "\" inode="
                        + inode + " dev=" + dev)));
    }

    private static ExecFailure failure(Path file, long inode, String dev) throws Exception {
        return ExecFailureExtractor.from(event(file, inode, dev, 1795718255067L)).orElseThrow();
    }

    private static FileAttributes attributes(Path f) {
        return HostFileTree.root().lookup(f.toString()).attributes().orElseThrow();
    }

    private static String device(FileAttributes a) {
        return String.format("%02x:%02x", a.deviceMajor(), a.deviceMinor());
    }

    @Test
    void matchesByDeviceAndInodeInAVisibleRoot() throws Exception {
        Path f = Files.writeString(dir.resolve("entrypoint"), "echo\n");
        FileAttributes a = attributes(f);
        PodScope scope = new PodScope(ProcReader.system(), root -> HostFileTree.of(Path.of(root)));
        Optional<CallerProcess> where = scope.locate(failure(f, a.inode(), device(a))).process();
        assertTrue(where.isPresent(), "the test JVM's root holds the file");
        assertTrue(where.get().root().matches("/proc/\\d+/root"), where.get().root());
        assertEquals(Optional.empty(), scope.locate(failure(f, a.inode() + 1, device(a))).process(),
                "same path, other file");
        assertEquals(Optional.empty(), scope.locate(failure(f, a.inode(), "ff:ff")).process(), "other device");
    }

    @Test
    void aRootThatCannotBeOpenedMakesAFailureUnattributedNotAnotherPods() throws Exception {
        Path f = Files.writeString(dir.resolve("entrypoint"), "echo\n");
        FileAttributes a = attributes(f);
        try (Zombie zombie = Zombie.start()) {
            PodScope withZombie = new PodScope(procView(ProcessHandle.current().pid(), zombie.pid),
                    RootTrees.safe());
            PodScope.Location mine = withZombie.locate(failure(f, a.inode(), device(a)));
            assertTrue(mine.process().isPresent() && !mine.unattributed(), "the file is in the JVM's root: " + mine);

            PodScope.Location unknown = withZombie.locate(failure(f, a.inode() + 1, device(a)));
            assertTrue(unknown.unattributed(), () -> "no opened root holds it, one root could not be opened: "
                    + unknown);
            PodScope.Unopened u = unknown.unopened().get(0);
            assertEquals(zombie.pid, u.pid());
            assertEquals("ENOENT", u.error().errnoName(), "a zombie has no root: " + u.error().getMessage());
            assertTrue(u.error().vanished());

            PodScope alone = new PodScope(procView(ProcessHandle.current().pid()), RootTrees.safe());
            PodScope.Location other = alone.locate(failure(f, a.inode() + 1, device(a)));
            assertFalse(other.unattributed(), "every root opened and none holds it: another pod's file");
            assertEquals(Optional.empty(), other.process());
        }
    }

    @Test
    void unattributedFailuresAreCountedAndNamedInOneWarningButNotWritten() throws Exception {
        Path f = Files.writeString(dir.resolve("entrypoint"), "echo\n");
        FileAttributes a = attributes(f);
        try (Zombie zombie = Zombie.start()) {
            ProcReader view = procView(ProcessHandle.current().pid(), zombie.pid);
            List<ExplainedFailure> written = new ArrayList<>();
            List<String> log = new ArrayList<>();
            WatchMetrics metrics = new WatchMetrics();
            FailurePipeline pipeline = new FailurePipeline(new Explainer(DiagnosisEngine.forHost(), view,
                    RootTrees.safe(), RootAccess.of(false)), Optional.of(new PodScope(view, RootTrees.safe())),
                    x -> false, Duration.ZERO, written::add, metrics, log::add);
            long t = 1795718255067L;
            pipeline.accept(event(f, a.inode() + 1, device(a), t));
            pipeline.accept(event(f, a.inode() + 1, device(a), t + 1000));
            pipeline.accept(event(f, a.inode(), device(a), t + 2000));

            assertEquals(1, written.size(), "only the failure in the pod's own root is written: " + written);
            assertEquals(2, counter(metrics, "execguard_exec_failures_unattributed_total"));
            assertEquals(0, counter(metrics, "execguard_exec_failures_ignored_total"),
                    "unattributed is not 'another pod's'");
            assertEquals(1, log.size(), "one warning per minute, not one per failure: " + log);
            assertTrue(log.get(0).contains("pid " + zombie.pid) && log.get(0).contains("ENOENT")
                    && log.get(0).contains("execguard_exec_failures_unattributed_total"), log.get(0));
        }
    }

    @Test
    void parsesAuditDeviceNumbers() {
        assertEquals(0xfe, PodScope.parseDevice("fe:00")[0]);
        assertEquals(0x103, PodScope.parseDevice("103:2")[0]);
        assertEquals(null, PodScope.parseDevice("garbage"));
    }

    /** A /proc that shows only {@code pids}: links to their real entries, so roots are opened by the kernel. */
    private ProcReader procView(long... pids) throws Exception {
        Path proc = Files.createTempDirectory(dir, "proc");
        for (long pid : pids) {
            views.add(Files.createSymbolicLink(proc.resolve(Long.toString(pid)), Path.of("/proc", Long.toString(pid))));
        }
        return new ProcReader(proc);
    }

    /** The links point into /proc: removed here, so that the temporary directory's clean-up never follows them. */
    @AfterEach
    void removeViews() throws Exception {
        for (Path link : views) {
            Files.deleteIfExists(link);
        }
    }

    static long counter(WatchMetrics metrics, String name) {
        return metrics.registry().scrape().stream().filter(s -> s.getMetadata().getPrometheusName()
                .equals(name.replaceFirst("_total$", ""))).findFirst().map(s -> (long) ((io.prometheus.metrics.model
                        .snapshots.CounterSnapshot) s).getDataPoints().get(0).getValue()).orElseThrow();
    }

    /**
     * A real zombie: {@code sleep 0} started in the background by a shell that then becomes {@code sleep 5}, which
     * never reaps it. Its /proc entry stays until the parent exits; its root cannot be opened (ENOENT).
     */
    private static final class Zombie implements AutoCloseable {
        final Process parent;
        final long pid;

        private Zombie(Process parent, long pid) {
            this.parent = parent;
            this.pid = pid;
        }

        static Zombie start() throws Exception {
            Process p = new ProcessBuilder("/bin/sh", "-c", "sleep 0 & echo $!; exec sleep 5").start();
            long pid = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine().trim());
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            for (int i = 0; i < 200 && !Files.readString(stat).contains(") Z "); i++) {
                Thread.sleep(10);
            }
            assertTrue(Files.readString(stat).contains(") Z "), "sleep 0 became a zombie");
            return new Zombie(p, pid);
        }

        @Override
        public void close() {
            parent.destroyForcibly();
        }
    }
}
