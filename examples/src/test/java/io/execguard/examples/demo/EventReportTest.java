package io.execguard.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's event digest and its summary table: nested and flattened ECS names, misses, skips, bad lines. */
class EventReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NESTED = "{\"@timestamp\":\"2026-11-26T18:00:00Z\",\"event\":{\"action\":\"exec-failed\","
            + "\"category\":[\"process\"]},\"file\":{\"path\":\"/tools/pdfrender\"},\"execguard\":{\"diagnosis\":"
            + "{\"cause\":\"ELF_INTERPRETER_MISSING\",\"errno\":\"ENOENT\",\"summary\":\"The loader is missing.\"}},"
            + "\"process\":{\"name\":\"java\",\"pid\":42}}";
    private static final String FLAT = "{\"event.action\":\"exec-blocked\",\"file.path\":\"/tools/imgconvert\","
            + "\"execguard.diagnosis.cause\":\"ARCH_MISMATCH\"}";

    @TempDir
    Path dir;

    @Test
    void readsNestedAndFlattenedNames() throws IOException {
        JsonNode nested = JSON.readTree(NESTED);
        JsonNode flat = JSON.readTree(FLAT);
        assertEquals("exec-failed", EventFields.text(nested, "event.action").orElseThrow());
        assertEquals("exec-blocked", EventFields.text(flat, "event.action").orElseThrow());
        assertTrue(EventFields.matches(nested, "event.category", "process", false), "array element match");
        assertTrue(EventFields.matches(nested, "file.path", "/pdfrender", true), "suffix match");
        assertFalse(EventFields.text(nested, "container.id").isPresent());
    }

    @Test
    void checkPrintsAMatrixWithMissesAndSkips() throws IOException {
        Path events = dir.resolve("events.json");
        Files.writeString(events, NESTED + "\nnot json\n" + FLAT + "\n");
        List<Expectation> expectations = List.of(
                Expectation.parse("pdfrender\tagent\t" + events + "\tevent.action=exec-failed file.path$=/pdfrender"),
                Expectation.parse("imgconvert\tagent\t" + events + "\tevent.action=exec-blocked execguard.diagnosis.cause=OK"),
                Expectation.parse("pdfrender\twatch\tskip:not root\tevent.action=exec-failed"),
                Expectation.parse("imgconvert\tscan\t" + dir.resolve("never-written.json") + "\tevent.action=exec-failed"));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int missed = new EventReport(new PrintStream(buffer, true, StandardCharsets.UTF_8)).check(expectations);
        String table = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(2, missed, table);
        List<String> lines = table.lines().collect(java.util.stream.Collectors.toList());
        assertEquals("agent  watch  scan", lines.get(0).strip(), table);
        assertEquals("pdfrender   yes    skip   -", lines.get(1).strip(), table);
        assertEquals("imgconvert  NO     -      NO", lines.get(2).strip(), table);
        assertTrue(table.contains("skipped watch: not root"), table);
        assertTrue(table.contains("MISSING imgconvert / agent: no event in " + events
                + " with event.action=exec-blocked execguard.diagnosis.cause=OK"), table);
    }

    @Test
    void showCountsLinesThatAreNotEvents() throws IOException {
        Path events = dir.resolve("events.json");
        Files.writeString(events, NESTED + "\n[1,2]\n{broken\n");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int shown = new EventReport(new PrintStream(buffer, true, StandardCharsets.UTF_8)).show(events, "");
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(1, shown);
        assertTrue(text.contains("ELF_INTERPRETER_MISSING (ENOENT)"), text);
        assertTrue(text.contains("2 line(s) that are not JSON objects"), text);
    }

    @Test
    void showCanLeaveOutEventsAboutOtherFiles() throws IOException {
        Path events = dir.resolve("events.json");
        Files.writeString(events, NESTED + "\n" + FLAT + "\n");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int shown = new EventReport(new PrintStream(buffer, true, StandardCharsets.UTF_8)).show(events, "/tools/pdf");
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(1, shown, text);
        assertFalse(text.contains("imgconvert"), text);
        assertTrue(text.contains("1 of them about files outside /tools/pdf (not shown)"), text);
    }

    @Test
    void malformedExpectationsAreRejectedWithTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Expectation.parse("only a label"));
        assertTrue(e.getMessage().contains("only a label"));
        assertThrows(IllegalArgumentException.class, () -> Expectation.parse("x\ty\t/f\tnovalue"));
    }
}
