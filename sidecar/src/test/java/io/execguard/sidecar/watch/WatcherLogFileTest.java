package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.event.ExecEvent;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.HostFileTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * watch on an audit log that is being written and rotated (what auditd does), with records naming real files of
 * this machine by their real device and inode: every failure comes out once, explained, across a rename rotation;
 * flood summaries and ENOENT filtering apply as on the multicast stream. Needs no privileges.
 */
class WatcherLogFileTest {
    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<ExecEvent> events = new ConcurrentLinkedQueue<>();
    private Watcher watcher;
    private long serial = 5000;
    private final List<String> messages = new ArrayList<>();

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private Watcher start(Path log, Duration dedupe) throws Exception {
        return start(log, dedupe, Watcher.DEFAULT_QUEUE, events::add, new WatchMetrics());
    }

    private Watcher start(Path log, Duration dedupe, int queue, Consumer<ExecEvent> out, WatchMetrics metrics)
            throws Exception {
        watcher = new Watcher(new Watcher.Settings(Optional.of(log), false, false, "execguard", Scope.NODE, dedupe,
                Duration.ofSeconds(1), false, dir, root -> HostFileTree.of(Path.of(root))).withQueueCapacity(queue),
                out, metrics, m -> {
                    synchronized (messages) {
                        messages.add(m);
                    }
                });
        watcher.start();
        assertTrue(watcher.ready());
        return watcher;
    }

    /** The records auditd writes for a shell whose child failed to exec {@code file}. */
    private String failedExec(Path file, int errno) throws IOException {
        FileAttributes a = HostFileTree.root().lookup(file.toString()).attributes().orElseThrow();
        String stamp = "audit(" + (System.currentTimeMillis() / 1000) + ".123:" + (++serial) + "): ";
        return "type=SYSCALL msg=" + stamp + "arch=c000003e syscall=59 success=no exit=-" + errno + " a0=1 a1=2"
                + " a2=3 a3=8 items=1 ppid=999999 pid=999998 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0"
                + " egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"sh\" exe=\"/usr/bin/dash\""
                + " key=\"execguard\"\n"
                + "type=CWD msg=" + stamp + "cwd=\"" + file.getParent() + "\"\n"
                + "type=PATH msg=" + stamp + "item=0 name=\"./" + file.getFileName() + "\" inode=" + a.inode()
                + " dev=" + String.format("%02x:%02x", a.deviceMajor(), a.deviceMinor()) + " mode=0100755 ouid=0"
                + " ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n"
                + "type=PROCTITLE msg=" + stamp + "proctitle=7368002D630078\n"
                + "type=EOE msg=" + stamp + "\n";
    }

    private String missingFile(Path file) {
        String stamp = "audit(1795718255.067:" + (++serial) + "): ";
        return "type=SYSCALL msg=" + stamp + "arch=c000003e syscall=59 success=no exit=-2 items=1 ppid=1 pid=2"
                + " comm=\"env\" exe=\"/usr/bin/env\"\ntype=CWD msg=" + stamp + "cwd=\"/\"\ntype=PATH msg=" + stamp
                + "item=0 name=\"" + file + "\" nametype=UNKNOWN\ntype=EOE msg=" + stamp + "\n";
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private Path fixture(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private List<ExecEvent> await(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (events.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        return List.copyOf(events);
    }

    @Test
    void followsTheLogAcrossRotationAndExplainsEachFailureOnce() throws Exception {
        Path log = dir.resolve("audit.log");
        append(log, failedExec(fixture("old", ": written before watch started\n"), 8));
        start(log, Duration.ZERO);
        Path a = fixture("a", ": no interpreter line\n");
        Path b = fixture("b.sh", "#!/bin/sh\r\necho crlf\r\n");
        Path c = fixture("c", ": after the rotation\n");
        append(log, failedExec(a, 8) + missingFile(dir.resolve("not-there")));
        await(1);
        append(log, failedExec(b, 2));
        Files.move(log, dir.resolve("audit.log.1"), StandardCopyOption.ATOMIC_MOVE);
        append(log, failedExec(c, 8));
        List<ExecEvent> got = await(3);
        List<String> paths = got.stream().map(e -> e.file().orElseThrow().path()).collect(Collectors.toList());
        assertEquals(List.of(a.toString(), b.toString(), c.toString()), paths, "no repeats, nothing lost, no ENOENT"
                + " of a missing file, nothing from before the start");
        assertEquals(Cause.SHEBANG_MISSING, got.get(0).diagnosis().orElseThrow().cause());
        assertEquals(Cause.SHEBANG_CRLF, got.get(1).diagnosis().orElseThrow().cause());
        assertEquals("audit-log", got.get(0).source().orElseThrow().type());
        assertTrue(got.get(0).details().orElseThrow().toString().contains("root=/"),
                "callers are gone: diagnosed where the same file is reachable");
    }

    @Test
    void identicalFailuresAreSummarisedWithACount() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, "");
        start(log, Duration.ofMinutes(1));
        Path f = fixture("crash-loop", ": crash loop\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(failedExec(f, 8));
        }
        append(log, sb.toString());
        await(1);
        watcher.close(); // shutdown summarises what the window still holds
        List<ExecEvent> got = List.copyOf(events);
        assertEquals(2, got.size(), got::toString);
        assertTrue(got.get(0).duplicates().isEmpty());
        assertEquals(4, got.get(1).duplicates().orElseThrow().count());
    }

    /**
     * auditd rotating twice in a row (num_logs 5): {@code .1 -> .2}, live {@code -> .1}, twice. Whether both
     * renames fall between two polls of watch or not, every failure comes out once, in order.
     */
    @Test
    void twoRotationsInARowLoseAndRepeatNothing() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, "");
        start(log, Duration.ZERO);
        Path a = fixture("first", ": before the rotations\n");
        Path b = fixture("middle", ": in the file rotated twice\n");
        Path c = fixture("last", ": after the rotations\n");
        append(log, failedExec(a, 8));
        await(1);
        for (Path f : List.of(b, c)) {
            Path one = dir.resolve("audit.log.1");
            if (Files.exists(one)) {
                Files.move(one, dir.resolve("audit.log.2"), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(log, one, StandardCopyOption.ATOMIC_MOVE);
            append(log, failedExec(f, 8));
        }
        List<String> paths = await(3).stream().map(e -> e.file().orElseThrow().path()).collect(Collectors.toList());
        assertEquals(List.of(a.toString(), b.toString(), c.toString()), paths);
    }

    /**
     * The worker stalls (its output blocks) while failures keep coming: the queue fills and what it cannot hold is
     * dropped - counted on the metric and in the log, never silently - and what it held is written once when the
     * output moves again: written + dropped = failures, exactly.
     */
    @Test
    void aFullQueueDropsAndCountsWhatItCannotHoldAndWritesTheRest() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, "");
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WatchMetrics metrics = new WatchMetrics();
        int queue = 10;
        int failures = 200;
        start(log, Duration.ZERO, queue, e -> {
            stalled.countDown();
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            events.add(e);
        }, metrics);
        Path f = fixture("flood", ": no interpreter line\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < failures; i++) {
            sb.append(failedExec(f, 8));
        }
        append(log, sb.toString());
        assertTrue(stalled.await(5, TimeUnit.SECONDS), "the worker took the first failure and stalled");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metrics.recordCount() < failures * 5L && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100); // the reassembler delivers at each EOE: nothing is held back by now
        release.countDown();
        List<ExecEvent> got = await(1 + queue);
        long dropped = metrics.droppedCount();
        assertEquals(failures - 1 - queue, dropped, "one in the stalled worker, " + queue + " queued, the rest dropped");
        assertEquals(failures, got.size() + dropped, "written + dropped = failures");
        assertEquals(got.size(), got.stream().map(ExecEvent::id).distinct().count(), "each written once");
        watcher.close();
        synchronized (messages) {
            assertTrue(messages.stream().anyMatch(m -> m.contains(dropped + " failed execs dropped by watch")),
                    messages::toString);
        }
    }
}
