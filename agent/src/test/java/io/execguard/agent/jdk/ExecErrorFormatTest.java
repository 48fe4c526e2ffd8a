package io.execguard.agent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecErrorFormatTest {
    @Test
    void writesEachJdksFormat() {
        assertEquals("error=8, Exec format error", ExecErrorFormat.LEGACY.format(8, "Exec format error"));
        assertEquals("Exec failed, error: 8 (Exec format error) ",
                ExecErrorFormat.EXEC_FAILED.format(8, "Exec format error"));
        assertEquals(ExecErrorFormat.LEGACY, ExecErrorFormat.forFeatureVersion(11));
        assertEquals(ExecErrorFormat.LEGACY, ExecErrorFormat.forFeatureVersion(24));
        assertEquals(ExecErrorFormat.EXEC_FAILED, ExecErrorFormat.forFeatureVersion(25));
    }

    @Test
    void parsesBothFormatsAlsoWrappedByProcessBuilder() {
        assertEquals(OptionalInt.of(13), ExecErrorFormat.errnoOf("error=13, Permission denied"));
        assertEquals(OptionalInt.of(2), ExecErrorFormat.errnoOf(
                "Cannot run program \"x\" (in directory \"/d\"): error=2, No such file or directory"));
        assertEquals(OptionalInt.of(8), ExecErrorFormat.errnoOf("Exec failed, error: 8 (Exec format error) "));
        assertEquals(OptionalInt.of(2), ExecErrorFormat.errnoOf(
                "Cannot run program \"x\": Exec failed, error: 2 (No such file or directory) "));
        assertFalse(ExecErrorFormat.errnoOf("/tmp/out (No such file or directory)").isPresent());
        assertFalse(ExecErrorFormat.errnoOf(null).isPresent());
    }

    /** The real JDK running this test is the judge of its own format: provoke EACCES and compare. */
    @Test
    void matchesWhatThisJdkReallyThrows(@TempDir Path dir) throws IOException {
        Path notExecutable = Files.writeString(dir.resolve("tool"), "#!/bin/sh\n");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new ProcessBuilder(notExecutable.toString()).start());
        assertEquals(ExecErrorFormat.current().format(13, "Permission denied"), e.getCause().getMessage());
        assertEquals(OptionalInt.of(13), ExecErrorFormat.errnoOf(e.getMessage()));
    }
}
