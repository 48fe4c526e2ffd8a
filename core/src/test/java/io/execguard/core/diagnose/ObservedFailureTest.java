package io.execguard.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.testing.ElfBuilder;
import io.execguard.core.testing.ExecProbe;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ETXTBSY on the real kernel: while this JVM holds a program - or the interpreter its {@code #!} names - open for
 * writing, a direct execve of it fails with ETXTBSY whatever the file holds (the check comes before any format
 * check); the engine, which sees only the file, cannot predict that, and the reconciled verdict says FILE_BUSY, agrees
 * with the kernel, and keeps what the file check found.
 */
class ObservedFailureTest {
    @TempDir
    Path dir;

    private static Diagnosis diagnose(String path) {
        return DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder(path).cwd("/").build());
    }

    /** Executes {@code file} while {@code busy} is open for writing, and after it is closed again. */
    private static ExecProbe.Outcome[] execWhileOpenForWriting(Path busy, Path file) throws Exception {
        ExecProbe.Outcome during;
        try (FileChannel w = FileChannel.open(busy, StandardOpenOption.WRITE)) {
            during = ExecProbe.exec(file);
        }
        return new ExecProbe.Outcome[] {during, ExecProbe.exec(file)};
    }

    @Test
    void aProgramOpenForWritingIsBusyAndOtherwiseFine() throws Exception {
        Path program = KernelAgreementTest.write(dir, "program", ElfBuilder.x86_64().build(), "755");
        ExecProbe.Outcome[] kernel = execWhileOpenForWriting(program, program);
        Diagnosis file = diagnose(program.toString());
        assertEquals(Cause.OK, file.cause(), "the file itself runs");
        ExecProbe.assertKernelAgrees(file, kernel[1]);

        Diagnosis busy = ObservedFailure.reconcile(file, Errno.ETXTBSY);
        assertEquals(Errno.ETXTBSY.number(), kernel[0].errno, "the kernel: " + kernel[0]);
        ExecProbe.assertKernelAgrees(busy, kernel[0]);
        assertEquals(Cause.FILE_BUSY, busy.cause());
        assertFalse(busy.runnable());
        assertTrue(busy.summary().contains("open for writing") && busy.summary().contains("The file itself is fine"),
                busy.summary());
        assertEquals("OK", busy.evidence().group("file_check").orElseThrow().string("cause").orElseThrow());
        assertEquals(file.resolvedPath(), busy.resolvedPath());
    }

    @Test
    void aBusyProgramThatWouldFailAnywaySaysSo() throws Exception {
        Path arm64 = KernelAgreementTest.write(dir, "arm64", ElfBuilder.foreign(183, true, false).build(), "755");
        ExecProbe.Outcome[] kernel = execWhileOpenForWriting(arm64, arm64);
        assertEquals(Errno.ETXTBSY.number(), kernel[0].errno, "ETXTBSY comes before the format check: " + kernel[0]);
        Diagnosis file = diagnose(arm64.toString());
        ExecProbe.assertKernelAgrees(file, kernel[1]);

        Diagnosis busy = ObservedFailure.reconcile(file, Errno.ETXTBSY);
        ExecProbe.assertKernelAgrees(busy, kernel[0]);
        assertTrue(busy.summary().contains("Once it is closed, exec will still fail: " + file.summary()),
                busy.summary());
        Evidence check = busy.evidence().group("file_check").orElseThrow();
        assertEquals("ARCH_MISMATCH", check.string("cause").orElseThrow());
        assertEquals("ENOEXEC", check.string("errno").orElseThrow());
    }

    @Test
    void aScriptWhoseInterpreterIsOpenForWritingIsBusy() throws Exception {
        Path interpreter = KernelAgreementTest.write(dir, "interp", ElfBuilder.x86_64().build(), "755");
        Path script = KernelAgreementTest.write(dir, "script", ("#!" + interpreter + "\n").getBytes(), "755");
        ExecProbe.Outcome[] kernel = execWhileOpenForWriting(interpreter, script);
        assertEquals(Errno.ETXTBSY.number(), kernel[0].errno, "the interpreter is opened like the program: "
                + kernel[0]);
        ExecProbe.assertKernelAgrees(ObservedFailure.reconcile(diagnose(script.toString()), Errno.ETXTBSY),
                kernel[0]);
    }

    @Test
    void otherErrnosLeaveTheVerdictAlone() throws Exception {
        Path arm64 = KernelAgreementTest.write(dir, "arm64", ElfBuilder.foreign(183, true, false).build(), "755");
        Diagnosis file = diagnose(arm64.toString());
        assertSame(file, ObservedFailure.reconcile(file, Errno.ENOEXEC));
        Diagnosis busy = ObservedFailure.reconcile(file, Errno.ETXTBSY);
        assertSame(busy, ObservedFailure.reconcile(busy, Errno.ETXTBSY), "reconciling twice changes nothing");
    }
}
