package io.execguard.sidecar.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.execguard.core.event.EventJsonWriter;
import io.execguard.core.event.EventSchemaValidator;
import io.execguard.core.event.ExampleEvents;
import io.execguard.core.event.ExecEvent;
import io.execguard.core.event.output.OutputSpec;
import io.execguard.core.event.pipeline.EventPipeline;
import io.execguard.core.event.pipeline.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real logback appenders, fed by the real pipeline; every line written is checked against the event schema. */
class LogbackEventOutputTest {
    private final LoggerContext context = newContext();

    @TempDir
    Path tmp;

    /** A context like logback's own default one (which the CLI uses), isolated from other tests. */
    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private EventSink configure(OutputSpec spec) {
        return LogbackEventOutput.configure(spec, Map.of(), null, context, LogbackEventOutput.DEFAULT_MAX_FILE_SIZE, 1000);
    }

    private static void emit(EventSink sink, List<ExecEvent> events) {
        EventPipeline pipeline = EventPipeline.builder().sink(sink).start();
        events.forEach(pipeline::offer);
        assertTrue(pipeline.close(Duration.ofSeconds(10)));
        assertEquals(0, pipeline.droppedCount());
    }

    @Test
    void stdoutGetsExactlyOneJsonObjectPerLine() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            emit(configure(OutputSpec.parse("stdout")), ExampleEvents.all());
        } finally {
            System.setOut(original);
        }
        assertSchemaValidLines(captured.toString(StandardCharsets.UTF_8), ExampleEvents.all().size());
    }

    @Test
    void stderrGetsTheEvents() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            emit(configure(OutputSpec.parse("stderr")), List.of(ExampleEvents.sidecarExecFailed()));
        } finally {
            System.setErr(original);
        }
        assertSchemaValidLines(captured.toString(StandardCharsets.UTF_8), 1);
    }

    @Test
    void fileOutputCreatesDirectoriesAndAppends() throws Exception {
        Path file = tmp.resolve("log/execguard/events.json");
        emit(configure(OutputSpec.parse("file:" + file)), ExampleEvents.all());
        context.stop();
        LoggerContext second = newContext();
        try {
            emit(LogbackEventOutput.configure(OutputSpec.file(file), Map.of(), null, second, "64MB", 1000),
                    List.of(ExampleEvents.agentBlocked()));
        } finally {
            second.stop();
        }
        assertSchemaValidLines(Files.readString(file), ExampleEvents.all().size() + 1);
    }

    @Test
    void fileOutputRollsBySizeAndKeepsFiveOldFiles() throws Exception {
        Path file = tmp.resolve("events.json");
        EventSink sink = LogbackEventOutput.configure(OutputSpec.file(file), Map.of(), null, context, "10KB", 0);
        String line = EventJsonWriter.standard().toJson(ExampleEvents.sidecarExecFailed());
        int events = 40 * 10_240 / line.length();
        for (int i = 0; i < events; i++) {
            sink.write(line);
        }
        context.stop();
        try (Stream<Path> files = Files.list(tmp)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(List.of("events.json", "events.json.1", "events.json.2", "events.json.3", "events.json.4",
                    "events.json.5"), names);
        }
        for (int i = 1; i <= 5; i++) {
            String rolled = Files.readString(tmp.resolve("events.json." + i));
            assertTrue(rolled.length() >= 10_240, "rolled at the size limit");
            rolled.lines().forEach(EventSchemaValidator::assertValid);
        }
    }

    @Test
    void anUnwritableFileIsOneClearSentence() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configure(OutputSpec.parse("file:/proc/execguard/events.json")));
        assertTrue(e.getMessage().startsWith("cannot write events to /proc/execguard/events.json: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aUserConfigurationFromTheEnvironmentWins() throws Exception {
        Path userFile = tmp.resolve("user-events.log");
        Path config = tmp.resolve("logback.xml");
        Files.writeString(config, "<configuration>\n"
                + "  <appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\">\n"
                + "    <file>" + userFile + "</file>\n"
                + "    <encoder><pattern>user %msg%n</pattern></encoder>\n"
                + "  </appender>\n"
                + "  <logger name=\"execguard.events\" level=\"INFO\" additivity=\"false\">\n"
                + "    <appender-ref ref=\"F\"/>\n"
                + "  </logger>\n"
                + "</configuration>\n");
        Path ignored = tmp.resolve("ignored.json");
        EventSink sink = LogbackEventOutput.configure(OutputSpec.file(ignored),
                Map.of(LogbackEventOutput.CONFIG_ENV, config.toString()), null, context, "64MB", 1000);
        emit(sink, List.of(ExampleEvents.agentExecFailed()));
        context.stop();
        List<String> lines = Files.readAllLines(userFile);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("user {"), lines.get(0));
        EventSchemaValidator.assertValid(lines.get(0).substring("user ".length()));
        assertFalse(Files.exists(ignored), "--output is ignored when the user configures logback");
    }

    @Test
    void theLogbackSystemPropertyLeavesTheConfigurationAlone() {
        context.getLogger("execguard.events").setAdditive(true);
        LogbackEventOutput.configure(OutputSpec.stdout(), Map.of(), "/etc/my-logback.xml", context, "64MB", 1000);
        assertTrue(context.getLogger("execguard.events").isAdditive());
        assertFalse(context.getLogger("execguard.events").iteratorForAppenders().hasNext());
    }

    @Test
    void aBrokenUserConfigurationIsOneClearSentence() throws Exception {
        Path config = tmp.resolve("broken.xml");
        for (String xml : List.of("<configuration><logger name=\"x\"",
                "<configuration><appender name=\"X\" class=\"no.such.Appender\"/>"
                        + "<root><appender-ref ref=\"X\"/></root></configuration>")) {
            Files.writeString(config, xml);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LogbackEventOutput.configure(OutputSpec.stdout(),
                            Map.of(LogbackEventOutput.CONFIG_ENV, config.toString()), null, context, "1MB", 1000));
            assertTrue(e.getMessage().startsWith("logback configuration " + config + " is invalid: "),
                    e.getMessage());
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LogbackEventOutput.configure(OutputSpec.stdout(),
                        Map.of(LogbackEventOutput.CONFIG_ENV, "/nonexistent/logback.xml"), null, context, "1MB", 1000));
        assertEquals(LogbackEventOutput.CONFIG_ENV + " names /nonexistent/logback.xml, which cannot be read",
                missing.getMessage());
    }

    private static void assertSchemaValidLines(String output, int expected) {
        List<String> lines = output.lines().collect(Collectors.toList());
        assertEquals(expected, lines.size(), output);
        lines.forEach(EventSchemaValidator::assertValid);
    }
}
