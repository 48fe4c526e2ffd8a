package io.execguard.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.emit.AgentEventStream;
import io.execguard.agent.jdk.ExecErrorFormat;
import io.execguard.agent.jdk.Launcher;
import io.execguard.agent.resolve.ExecutableResolver;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.event.output.OutputSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions taken before the fork, on real files; the child-JVM tests cover the hooks around them. */
class ExecGuardTest {
    @TempDir
    Path dir;

    private final List<AgentEventStream> streams = new ArrayList<>();

    /** A guard on the real clocks. */
    private ExecGuard guard(String options, Launcher launcher) throws Exception {
        return guard(options, launcher, 0, System::nanoTime);
    }

    /** The monotonic time the guard of {@link #timedGuard} reads. */
    private final AtomicLong ticks = new AtomicLong(1_000_000_000L);

    /**
     * A guard whose trust is timed by {@link #ticks}, and whose diagnoser sees every file as settled: its wall clock
     * runs a minute ahead, so a file written by the test is past the racy window at once.
     */
    private ExecGuard timedGuard(String options, Launcher launcher) throws Exception {
        return guard(options, launcher, TimeUnit.MINUTES.toNanos(1), ticks::get);
    }

    /** A guard whose diagnoser's wall clock runs {@code wallAheadNanos} ahead; {@code ticker} times its trust. */
    private ExecGuard guard(String options, Launcher launcher, long wallAheadNanos, LongSupplier ticker)
            throws Exception {
        AgentOptions o = AgentOptions.parse(options, Map.of());
        Path events = dir.resolve("events.json");
        Diagnoser diagnoser = new Diagnoser(DiagnosisEngine::forHost, "/usr/bin:/bin",
                () -> TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) + wallAheadNanos);
        return new ExecGuard(o, diagnoser, ExecutableResolver.of("/usr/bin:/bin", dir), () -> launcher,
                ExecErrorFormat.LEGACY, () -> started(AgentEventStream.start(OutputSpec.file(events))),
                new TrustedCommands(o.recheck(), ticker));
    }

    private synchronized AgentEventStream started(AgentEventStream stream) {
        streams.add(stream);
        return stream;
    }

    /** The writer threads must be done with the temp directory before JUnit deletes it. */
    @AfterEach
    synchronized void closeStreams() {
        streams.forEach(AgentEventStream::close);
    }

    private Path executable(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void enforceRefusesTheShellFallbackOnlyWhereTheLauncherFallsBack() throws Exception {
        Path script = executable("plain.sh", "echo hi\n");
        Launcher glibc = Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN");
        Launcher musl = Launcher.of(Launcher.Libc.MUSL, "POSIX_SPAWN");
        Throwable refused = guard("mode=enforce", glibc).beforeStart(new String[] {script.toString()}, null);
        assertEquals("error=8, Exec format error", refused.getMessage());
        assertEquals(IOException.class, refused.getClass());
        assertNull(guard("mode=enforce", musl).beforeStart(new String[] {script.toString()}, null),
                "musl reports ENOEXEC itself: nothing to refuse");
        assertNull(guard("mode=observe", glibc).beforeStart(new String[] {script.toString()}, null));
        assertNull(guard("mode=enforce,deny=none", glibc).beforeStart(new String[] {script.toString()}, null));
    }

    @Test
    void worldWritableAndPathRulesRefuseWithPermissionDenied() throws Exception {
        Path open = executable("open/tool", "#!/bin/sh\n");
        Files.setPosixFilePermissions(open.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path safe = executable("safe/tool", "#!/bin/sh\n");
        Launcher glibc = Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN");
        ExecGuard worldWritable = guard("mode=enforce,deny=world-writable", glibc);
        assertEquals("error=13, Permission denied",
                worldWritable.beforeStart(new String[] {open.toString()}, null).getMessage());
        assertNull(worldWritable.beforeStart(new String[] {safe.toString()}, null));
        ExecGuard byPath = guard("mode=enforce,deny=path:" + dir + "/safe/*", glibc);
        assertEquals("error=13, Permission denied",
                byPath.beforeStart(new String[] {"./safe/tool"}, dir.toString()).getMessage());
        assertNull(byPath.beforeStart(new String[] {open.toString()}, null));
        assertNull(guard("mode=observe,deny=world-writable", glibc).beforeStart(new String[] {open.toString()}, null),
                "observe mode never refuses");
    }

    @Test
    void aRealJdkFailureGetsOneExplanationAndOneEvent() throws Exception {
        Path noX = executable("no-x.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(noX, PosixFilePermissions.fromString("rw-r--r--"));
        ProcessBuilder pb = new ProcessBuilder(noX.toString());
        IOException e = assertThrows(IOException.class, pb::start);
        String message = e.getMessage();
        guard("", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN")).afterFailure(pb, e);
        assertEquals(message, e.getMessage(), "the JDK's message stays");
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0].getMessage().contains("[NO_EXECUTE_PERMISSION, execve: EACCES]"),
                e.getSuppressed()[0].getMessage());
        assertEventLines(1);
    }

    /** A program held open for writing fails with ETXTBSY although the file itself is fine: FILE_BUSY, not OK. */
    @Test
    void aProgramOpenForWritingIsFileBusy() throws Exception {
        Path busy = executable("busy.sh", "#!/bin/sh\nexit 0\n");
        IOException e;
        try (java.io.OutputStream writer = Files.newOutputStream(busy, java.nio.file.StandardOpenOption.APPEND)) {
            ProcessBuilder pb = new ProcessBuilder(busy.toString());
            e = assertThrows(IOException.class, pb::start);
            assertTrue(e.getMessage().contains("error=26"), e.getMessage());
            guard("", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN")).afterFailure(pb, e);
        }
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0].getMessage().contains("FILE_BUSY"), e.getSuppressed()[0].getMessage());
        assertEventLines(1);
        String event = Files.readString(dir.resolve("events.json"));
        assertTrue(event.contains("\"cause\":\"FILE_BUSY\"") && event.contains("\"code\":\"ETXTBSY\""), event);
    }

    @Test
    void explainFalseReportsWithoutTouchingTheException() throws Exception {
        Path noX = executable("no-x.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(noX, PosixFilePermissions.fromString("rw-r--r--"));
        ProcessBuilder pb = new ProcessBuilder(noX.toString());
        IOException e = assertThrows(IOException.class, pb::start);
        guard("explain=false", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN")).afterFailure(pb, e);
        assertEquals(0, e.getSuppressed().length);
        assertEventLines(1);
    }

    @Test
    void ioErrorsThatAreNotExecFailuresAreLeftAlone() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/true").redirectOutput(dir.resolve("missing/dir/out").toFile());
        IOException e = assertThrows(IOException.class, pb::start);
        guard("", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN")).afterFailure(pb, e);
        assertEquals(0, e.getSuppressed().length, e.getMessage());
        assertTrue(Files.notExists(dir.resolve("events.json")));
    }

    /** Waits (bounded) for the pipeline's writer thread. */
    private void assertEventLines(int expected) throws Exception {
        Path events = dir.resolve("events.json");
        for (int i = 0; i < 100 && (Files.notExists(events) || Files.readAllLines(events).size() < expected); i++) {
            Thread.sleep(20);
        }
        assertEquals(expected, Files.readAllLines(events).size());
    }

    @Test
    void healthyProgramsPassUntouched() throws Exception {
        ExecGuard g = guard("mode=enforce,deny=shell-fallback", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN"));
        assertNull(g.beforeStart(new String[] {"/bin/true"}, null));
        assertNull(g.beforeStart(new String[] {"true"}, null));
        assertNull(g.beforeStart(new String[] {"no-such-program-anywhere"}, null));
        assertTrue(Files.notExists(dir.resolve("events.json")), "no event, not even an output file");
    }

    /**
     * A healthy program is trusted for the recheck interval: a replacement inside it goes unseen (the documented
     * window), the first exec after it is looked at again and the shell fallback it would take is reported.
     */
    @Test
    void aHealthyProgramIsTrustedUntilItsRecheckIsDue() throws Exception {
        Path script = executable("tool.sh", "#!/bin/sh\nexit 0\n");
        ExecGuard g = timedGuard("", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN"));
        String[] cmd = {script.toString()};
        assertNull(g.beforeStart(cmd, null));
        assertEquals(1, g.trustedCommands());

        Files.writeString(script, "echo no shebang, a different size\n");
        ticks.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertNull(g.beforeStart(cmd, null));
        assertTrue(Files.notExists(dir.resolve("events.json")), "inside the window the file is not looked at");

        ticks.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertNull(g.beforeStart(cmd, null), "observe mode reports and lets the fallback happen");
        assertEventLines(1);
        assertTrue(Files.readString(dir.resolve("events.json")).contains("exec-shell-fallback"));
        g.beforeStart(cmd, null);
        assertEventLines(2);
        assertEquals(0, g.trustedCommands(), "a suspect is reported on every exec, never trusted");
    }

    @Test
    void enforceModeLooksAtEveryExecUnlessToldOtherwise() throws Exception {
        Path script = executable("tool.sh", "#!/bin/sh\nexit 0\n");
        Launcher glibc = Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN");
        ExecGuard enforce = timedGuard("mode=enforce", glibc);
        ExecGuard enforceTrusting = timedGuard("mode=enforce,recheck=250ms", glibc);
        String[] cmd = {script.toString()};
        assertNull(enforce.beforeStart(cmd, null));
        assertNull(enforceTrusting.beforeStart(cmd, null));
        assertEquals(0, enforce.trustedCommands());
        assertEquals(1, enforceTrusting.trustedCommands());

        Files.writeString(script, "echo no shebang\n");
        assertEquals("error=8, Exec format error", enforce.beforeStart(cmd, null).getMessage(), "refused at once");
        assertNull(enforceTrusting.beforeStart(cmd, null), "inside its window");
        ticks.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
        assertEquals("error=8, Exec format error", enforceTrusting.beforeStart(cmd, null).getMessage());
    }

    @Test
    void aCommandIsTrustedPerDirectoryAndOnlyOnASettledFile() throws Exception {
        executable("a/tool", "#!/bin/sh\nexit 0\n");
        Path b = executable("b/tool", "#!/bin/sh\nexit 0\n");
        ExecGuard g = timedGuard("", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN"));
        assertNull(g.beforeStart(new String[] {"./tool"}, dir.resolve("a").toString()));
        Files.writeString(b, "echo no shebang\n");
        assertNull(g.beforeStart(new String[] {"./tool"}, dir.resolve("b").toString()));
        assertEventLines(1);
        assertTrue(Files.readString(dir.resolve("events.json")).contains(b.toString()), "b's own file was looked at");

        // The real wall clock: a file written just now is inside the racy window, so its clearance is not trusted.
        ExecGuard real = guard("", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN"));
        Path fresh = executable("fresh.sh", "#!/bin/sh\nexit 0\n");
        assertNull(real.beforeStart(new String[] {fresh.toString()}, null));
        assertEquals(0, real.trustedCommands());
    }

    @Test
    void aFailedExecIsDiagnosedAfreshAndDropsItsCommandsTrust() throws Exception {
        Path script = executable("tool.sh", "#!/bin/sh\nexit 0\n");
        ExecGuard g = timedGuard("", Launcher.of(Launcher.Libc.GLIBC, "POSIX_SPAWN"));
        assertNull(g.beforeStart(new String[] {script.toString()}, null));
        assertEquals(1, g.trustedCommands());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        ProcessBuilder pb = new ProcessBuilder(script.toString());
        IOException e = assertThrows(IOException.class, pb::start);
        g.afterFailure(pb, e);
        assertTrue(e.getSuppressed()[0].getMessage().contains("NO_EXECUTE_PERMISSION"),
                e.getSuppressed()[0].getMessage());
        assertEquals(0, g.trustedCommands());
    }
}
