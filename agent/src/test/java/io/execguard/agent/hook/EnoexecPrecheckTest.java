package io.execguard.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each verdict is checked against what the kernel really does with the same file. */
class EnoexecPrecheckTest {
    @TempDir
    Path dir;

    private Path script(String name, String text) throws IOException {
        Path p = Files.writeString(dir.resolve(name), text);
        p.toFile().setExecutable(true);
        return p;
    }

    @Test
    void clearsNativeProgramsAndScriptsWithANativeInterpreter() throws Exception {
        assertFalse(EnoexecPrecheck.mayBeEnoexec(Path.of("/bin/true")));
        Path sh = script("ok.sh", "#!/bin/sh\nexit 3\n");
        assertFalse(EnoexecPrecheck.mayBeEnoexec(sh));
        assertEquals(3, new ProcessBuilder(sh.toString()).start().waitFor(), "the kernel runs it");
        assertFalse(EnoexecPrecheck.mayBeEnoexec(script("env.sh", "#! /usr/bin/env sh\n")));
    }

    @Test
    void leavesEverythingElseToTheEngine() throws Exception {
        assertTrue(EnoexecPrecheck.mayBeEnoexec(script("plain.sh", "echo no shebang\n")));
        assertTrue(EnoexecPrecheck.mayBeEnoexec(script("crlf.sh", "#!/bin/sh\r\necho\r\n")));
        assertTrue(EnoexecPrecheck.mayBeEnoexec(script("missing.sh", "#!/nonexistent/sh\n")));
        assertTrue(EnoexecPrecheck.mayBeEnoexec(script("empty", "")));
        Path textInterpreter = script("interp.txt", "just text\n");
        assertTrue(EnoexecPrecheck.mayBeEnoexec(script("chain.sh", "#!" + textInterpreter + "\n")));
        byte[] elf = Files.readAllBytes(Path.of("/bin/true"));
        elf[18] = (byte) 183; // e_machine AArch64
        Path arm = Files.write(dir.resolve("arm"), elf);
        assertTrue(EnoexecPrecheck.mayBeEnoexec(arm));
        arm.toFile().setExecutable(true);
        assertTrue(EnoexecPrecheck.mayBeEnoexec(script("foreign-interpreter.sh", "#!" + arm + "\n")),
                "the kernel refuses a script whose interpreter is a program for another machine");
        assertTrue(EnoexecPrecheck.mayBeEnoexec(dir.resolve("absent")));
    }

    @Test
    void neverOpensAFifo() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertTrue(EnoexecPrecheck.mayBeEnoexec(fifo)));
    }

    @Test
    void knowsTheMachinesItCanClear() {
        assertEquals(62, EnoexecPrecheck.hostMachine("amd64"));
        assertEquals(183, EnoexecPrecheck.hostMachine("aarch64"));
        assertEquals(-1, EnoexecPrecheck.hostMachine("s390x"));
    }
}
