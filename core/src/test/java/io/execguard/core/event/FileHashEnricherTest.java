package io.execguard.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.event.pipeline.EventPipeline;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.HostFileTree;
import io.execguard.core.hash.FileHasher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashEnricherTest {
    @TempDir
    Path dir;

    private final FileHashEnricher enricher = new FileHashEnricher(HostFileTree.root(), FileHasher.withDefaults());

    @Test
    void addsTheSha256OfTheFileTheEventDescribes() throws Exception {
        Path file = Files.write(dir.resolve("tool"), "echo hi\n".getBytes(StandardCharsets.UTF_8));
        ExecEvent enriched = enricher.apply(eventAbout(file));
        assertEquals(sha256(Files.readAllBytes(file)), enriched.file().orElseThrow().sha256().orElseThrow());
    }

    @Test
    void leavesTheHashOutWhenTheFileWasReplacedSinceTheEvent() throws Exception {
        Path file = Files.write(dir.resolve("tool"), "one".getBytes(StandardCharsets.UTF_8));
        ExecEvent event = eventAbout(file);
        Path other = Files.write(dir.resolve("other"), "two".getBytes(StandardCharsets.UTF_8));
        Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertFalse(enricher.apply(event).file().orElseThrow().sha256().isPresent(),
                "another inode now: no hash of a file the event does not describe");
    }

    @Test
    void leavesEventsWithoutStatFactsOrWithoutFileAlone() {
        ExecEvent pathOnly = ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT).toBuilder()
                .file(FileInfo.of("/no/such/file")).build();
        assertSame(pathOnly, enricher.apply(pathOnly));
        ExecEvent none = ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT);
        assertSame(none, enricher.apply(none));
    }

    @Test
    void pipelineRunsTheEnricherOnItsWriterThreadAndSurvivesItsFailure() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        EventSchemaValidator.CollectingSink sink = EventSchemaValidator.sink();
        EventPipeline pipeline = EventPipeline.builder().sink(sink).threadName("writer-under-test")
                .enricher(e -> {
                    threads.add(Thread.currentThread().getName());
                    throw new IllegalStateException("broken enricher");
                }).start();
        pipeline.offer(ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT));
        assertTrue(pipeline.close(Duration.ofSeconds(10)));
        assertEquals(List.of("writer-under-test"), threads);
        assertEquals(1, sink.lines().size(), "written as offered");
        assertEquals(0, pipeline.droppedCount());
    }

    private static ExecEvent eventAbout(Path file) {
        FileAttributes attributes = HostFileTree.root().lookup(file.toString()).attributes().orElseThrow();
        return ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT).toBuilder()
                .file(FileInfo.of(file.toString(), attributes)).build();
    }

    private static String sha256(byte[] bytes) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
