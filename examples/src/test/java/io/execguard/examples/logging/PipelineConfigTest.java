package io.execguard.examples.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The log pipeline configurations parse and are wired end to end, and the Prometheus alert rules pass promtool's
 * check and their unit tests (promtool from Debian's prometheus package, installed by .ci/run; required in CI).
 * Fluent Bit and Vector have no Debian package to validate with, so their structure is checked here.
 */
class PipelineConfigTest {
    private static final Path LOGGING = Paths.get(System.getProperty("execguard.examples.dir", "."))
            .resolve("logging");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> METRICS = Set.of("execguard_exec_failures_total",
            "execguard_audit_kernel_lost_total", "execguard_audit_socket_dropped_records_total",
            "execguard_events_dropped_total", "execguard_audit_reassembly_gaps_total",
            "execguard_exec_failures_unattributed_total");

    @Test
    void alertRulesPassPromtoolCheckAndUnitTests() throws Exception {
        requirePromtool();
        assertEquals(0, promtool("check", "rules", "prometheus-alerts.yaml"));
        assertEquals(0, promtool("test", "rules", "prometheus-alerts.test.yaml"));
    }

    @Test
    void alertRulesUseOnlyTheMetricsWatchExports() throws IOException {
        String rules = Files.readString(LOGGING.resolve("prometheus-alerts.yaml"));
        Matcher names = Pattern.compile("\\bexecguard_[a-z_]+").matcher(rules);
        List<String> used = new ArrayList<>();
        while (names.find()) {
            used.add(names.group());
        }
        assertFalse(used.isEmpty());
        used.forEach(name -> assertTrue(METRICS.contains(name), "unknown metric " + name));
    }

    @Test
    void fluentBitKeepsOnlyExecguardEventsAndReplacesTheRecordWithThem() throws IOException {
        JsonNode config = YAML.readTree(LOGGING.resolve("fluent-bit.yaml").toFile());
        JsonNode pipeline = config.path("pipeline");
        JsonNode tail = single(pipeline.path("inputs"));
        assertEquals("tail", tail.path("name").asText());
        assertEquals("/var/log/containers/*.log", tail.path("path").asText());

        Set<String> parsers = new HashSet<>();
        config.path("parsers").forEach(p -> parsers.add(p.path("name").asText()));
        JsonNode parser = byName(pipeline.path("filters"), "parser");
        assertTrue(parsers.contains(parser.path("parser").asText()), "the parser filter names an undefined parser");
        assertEquals("log", parser.path("key_name").asText());
        assertFalse(parser.path("reserve_data").asBoolean(true), "reserve_data must be off: the event, unchanged");
        assertEquals("$event['module'] ^execguard$", byName(pipeline.path("filters"), "grep").path("regex").asText());

        String tag = tail.path("tag").asText();
        for (JsonNode stage : iterable(pipeline.path("filters"), pipeline.path("outputs"))) {
            assertEquals(tag, stage.path("match").asText(), stage + " does not match the input's tag");
        }
        assertFalse(byName(pipeline.path("outputs"), "es").path("replace_dots").asBoolean(true));
    }

    @Test
    void vectorWiresEverySinkToAnExistingTransform() throws IOException {
        JsonNode config = YAML.readTree(LOGGING.resolve("vector.yaml").toFile());
        Set<String> components = new HashSet<>();
        config.path("sources").fieldNames().forEachRemaining(components::add);
        config.path("transforms").fieldNames().forEachRemaining(components::add);
        for (JsonNode stage : iterable(config.path("transforms"), config.path("sinks"))) {
            assertTrue(stage.path("inputs").size() > 0, stage + " has no inputs");
            stage.path("inputs").forEach(input -> assertTrue(components.contains(input.asText()),
                    "input " + input + " is not a source or transform"));
        }
        String filter = config.path("transforms").path("execguard_events").path("source").asText();
        assertTrue(filter.contains("\"execguard\"") && filter.contains(". = parsed"), filter);
        Set<String> sinkTypes = new HashSet<>();
        config.path("sinks").forEach(sink -> sinkTypes.add(sink.path("type").asText()));
        assertEquals(Set.of("elasticsearch", "loki"), sinkTypes);
        assertEquals("json", config.path("sinks").path("loki").path("encoding").path("codec").asText());
    }

    private static JsonNode single(JsonNode array) {
        assertEquals(1, array.size(), array.toString());
        return array.get(0);
    }

    private static JsonNode byName(JsonNode stages, String name) {
        for (JsonNode stage : stages) {
            if (name.equals(stage.path("name").asText())) {
                return stage;
            }
        }
        throw new AssertionError("no stage named " + name + " in " + stages);
    }

    private static List<JsonNode> iterable(JsonNode... groups) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode group : groups) {
            group.forEach(all::add);
        }
        return all;
    }

    private static void requirePromtool() throws InterruptedException {
        boolean present;
        try {
            present = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("promtool is required in CI (Debian package prometheus, see .ci/run)");
        }
        assumeTrue(present, "promtool is not installed (Debian package prometheus): alert rules not validated");
    }

    private static int promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(LOGGING.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), output);
        return process.exitValue();
    }
}
