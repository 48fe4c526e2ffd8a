package io.execguard.core.event.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.event.EventSchemaValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM ends right after offering 200 events to a slow sink: the shutdown hook writes them all. */
class EventPipelineShutdownTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"return", "exit"})
    void queuedEventsAreFlushedWhenTheJvmEnds(String how) throws Exception {
        Path out = tmp.resolve("events.json");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ShutdownFlushMain.class.getName(), out.toString(), "200", how)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not end");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(how.equals("exit") ? 3 : 0, p.exitValue(), output);
        List<String> lines = Files.readAllLines(out);
        assertEquals(200, lines.size(), "every queued event written before the JVM ended");
        EventSchemaValidator.assertValid(lines.get(199));
    }
}
