package io.execguard.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** User errors get one sentence and a documented exit code; the attach itself is tested in AttachIT. */
class AttachCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AttachCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run());
        assertEquals(AttachCommand.USAGE + "\n", err());
        err.reset();
        assertEquals(2, run("attach", "not-a-pid"));
        assertEquals(AttachCommand.USAGE + "\n", err());
    }

    @Test
    void invalidOptionsAreReportedHereNotInTheTarget() {
        assertEquals(2, run("attach", "1", "mode=block"));
        assertEquals("execguard: invalid mode 'block': expected observe or enforce\n", err());
    }

    @Test
    void aMissingJvmExitsOne() {
        assertEquals(1, run("attach", "2147483646"));
        assertTrue(err().startsWith("execguard: cannot attach to JVM 2147483646: "), err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
