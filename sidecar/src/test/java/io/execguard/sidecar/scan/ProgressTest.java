package io.execguard.sidecar.scan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void drawsABarOnTheGivenStreamAndClearsTheLineWhenDone() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8));
        p.start("diagnosing for linux/amd64", 4);
        for (int i = 0; i < 4; i++) {
            p.advance();
        }
        p.finish();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("[                              ] diagnosing for linux/amd64 0/4"), out);
        assertTrue(out.contains("[##############################] diagnosing for linux/amd64 4/4"), out);
        assertTrue(out.endsWith("\r\033[K"), "the last thing written clears the bar");
    }

    @Test
    void byteCountedPhasesShowMebibytes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8));
        p.startBytes("reading the layers of app:1");
        p.set(5L << 20);
        p.finish();
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("reading the layers of app:1 0 MiB"));
    }
}
