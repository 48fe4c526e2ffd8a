package io.execguard.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict cache on real files: a changed file is read afresh, at once when its key changes and within the
 * ctime recheck interval when the change kept device, inode, size and modification time; a script is checked again
 * when its interpreter changes; a file changed too recently to be told apart from a later change is never cached.
 * The engine's verdicts are checked against the kernel in core; here only whether a verdict is fresh matters.
 */
class DiagnoserTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path dir;

    /** Now, as the cache sees it: an hour ahead, so that files written by the test count as long settled. */
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis() * 1_000_000L + HOUR);
    private final Diagnoser diagnoser = new Diagnoser(DiagnosisEngine::forHost, "/usr/bin:/bin", now::get);

    /**
     * A file with a modification time in whole seconds: the JDK sets times with microsecond precision, so only such
     * a time can be set back exactly - as {@code cp -p} or {@code tar} would.
     */
    private Path executable(String name, byte[] content) throws IOException {
        Path p = Files.write(dir.resolve(name), content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(p, FileTime.from(1_700_000_000L, TimeUnit.SECONDS));
        return p;
    }

    /** Overwrites {@code file} in place (same inode) with {@code content} and sets its old mtime back. */
    private static void rewriteKeepingMtime(Path file, byte[] content) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Files.setLastModifiedTime(file, mtime);
    }

    private static boolean enoexec(Optional<Diagnosis> verdict) {
        return verdict.isPresent() && verdict.get().errno().orElse(null) == Errno.ENOEXEC;
    }

    @Test
    void aHealthyProgramIsReadOnceAndThenServedFromTheCache() throws Exception {
        Path tool = executable("tool", Files.readAllBytes(Path.of("/bin/true")));
        assertFalse(diagnoser.diagnoseIfSuspect(tool).isPresent());
        assertEquals(1, diagnoser.cachedClearances());
        assertFalse(diagnoser.diagnoseIfSuspect(tool).isPresent());
        assertEquals(1, diagnoser.cachedClearances(), "the second exec found the first verdict");
    }

    @Test
    void aFileRewrittenInPlaceIsReadAfreshOnTheNextExec() throws Exception {
        byte[] healthy = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII);
        byte[] noShebang = "exit 0 # plain.\n\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(healthy.length, noShebang.length);
        Path script = executable("script", healthy);
        assertFalse(diagnoser.diagnoseIfSuspect(script).isPresent());
        assertEquals(1, diagnoser.cachedClearances());

        Files.write(script, noShebang, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);

        assertTrue(enoexec(diagnoser.diagnoseIfSuspect(script)), "same inode and size, new mtime: a new key");
    }

    @Test
    void aRewriteThatSetsTheMtimeBackIsSeenThroughTheCtimeWithinTheRecheckInterval() throws Exception {
        byte[] healthy = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII);
        byte[] noShebang = "exit 0 # plain.\n\n".getBytes(StandardCharsets.US_ASCII);
        Path script = executable("script", healthy);
        assertFalse(diagnoser.diagnoseIfSuspect(script).isPresent());
        Object inode = Files.getAttribute(script, "unix:ino");
        FileTime mtime = Files.getLastModifiedTime(script);

        rewriteKeepingMtime(script, noShebang);

        assertEquals(inode, Files.getAttribute(script, "unix:ino"), "same inode");
        assertEquals(mtime, Files.getLastModifiedTime(script), "same mtime");
        assertEquals(healthy.length, Files.size(script), "same size");
        now.addAndGet(Diagnoser.CTIME_RECHECK_NANOS - 1);
        assertFalse(diagnoser.diagnoseIfSuspect(script).isPresent(), "trusted until the recheck is due");
        now.addAndGet(1);
        assertTrue(enoexec(diagnoser.diagnoseIfSuspect(script)), "only the ctime tells, and it is read again");
    }

    @Test
    void aScriptIsCheckedAgainWhenItsInterpreterIsReplaced() throws Exception {
        byte[] program = Files.readAllBytes(Path.of("/bin/true"));
        Path interpreter = executable("interpreter", program);
        Path script = executable("script", ("#!" + interpreter + "\n").getBytes(StandardCharsets.US_ASCII));
        assertFalse(diagnoser.diagnoseIfSuspect(script).isPresent());
        assertEquals(1, diagnoser.cachedClearances());

        byte[] foreign = program.clone();
        foreign[18] = (byte) 183; // e_machine: AArch64, a program the kernel here refuses with ENOEXEC
        Files.write(interpreter, foreign, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);

        assertTrue(enoexec(diagnoser.diagnoseIfSuspect(script)), "the script itself did not change");
    }

    @Test
    void anInterpreterWhoseMtimeIsSetBackIsSeenThroughItsCtime() throws Exception {
        byte[] program = Files.readAllBytes(Path.of("/bin/true"));
        Path interpreter = executable("interpreter", program);
        Path script = executable("script", ("#!" + interpreter + "\n").getBytes(StandardCharsets.US_ASCII));
        assertFalse(diagnoser.diagnoseIfSuspect(script).isPresent());
        byte[] foreign = program.clone();
        foreign[18] = (byte) 183;
        rewriteKeepingMtime(interpreter, foreign);
        now.addAndGet(Diagnoser.CTIME_RECHECK_NANOS);
        assertTrue(enoexec(diagnoser.diagnoseIfSuspect(script)));
    }

    @Test
    void aFileChangedWithinTheRacyWindowIsNeverCached() throws Exception {
        Path tool = executable("tool", Files.readAllBytes(Path.of("/bin/true")));
        long ctime = ((FileTime) Files.getAttribute(tool, "unix:ctime")).to(TimeUnit.NANOSECONDS);
        now.set(ctime + Diagnoser.RACY_WINDOW_NANOS - 1);
        assertFalse(diagnoser.diagnoseIfSuspect(tool).isPresent());
        assertEquals(0, diagnoser.cachedClearances(), "a change in the same tick would keep the key");
        now.set(ctime + Diagnoser.RACY_WINDOW_NANOS);
        assertFalse(diagnoser.diagnoseIfSuspect(tool).isPresent());
        assertEquals(1, diagnoser.cachedClearances());
    }

    @Test
    void suspectFilesAreDiagnosedOnEveryExec() throws Exception {
        Path script = executable("plain", "echo no shebang\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(enoexec(diagnoser.diagnoseIfSuspect(script)));
        assertEquals(0, diagnoser.cachedClearances(), "the engine's verdict rests on more than the file");
        Files.write(script, "#!/bin/sh\n\n\n\n\n\n\n".getBytes(StandardCharsets.US_ASCII));
        assertFalse(diagnoser.diagnoseIfSuspect(script).isPresent());
    }

    @Test
    void theKeyAndTheCtimeSeeEveryKindOfChange() throws Exception {
        Path file = executable("file", new byte[] {1, 2, 3});
        FileKey first = FileKey.of(file);
        long ctime = FileKey.ctimeNanos(file).getAsLong();
        assertEquals(first, FileKey.of(file), "stable while nothing changes");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        assertNotEquals(ctime, FileKey.ctimeNanos(file).getAsLong(), "a mode change moves the ctime");
        Path replacement = executable("replacement", new byte[] {1, 2, 3});
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertNotEquals(first, FileKey.of(file), "a file renamed over it is another inode");
        assertNull(FileKey.of(dir.resolve("absent")));
        assertFalse(FileKey.ctimeNanos(dir.resolve("absent")).isPresent());
    }
}
