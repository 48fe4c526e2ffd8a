package io.execguard.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Errno;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class EventJsonWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventJsonWriter writer = EventJsonWriter.standard();

    @Test
    void everyExampleEventMatchesTheSchema() {
        for (ExecEvent e : ExampleEvents.all()) {
            EventSchemaValidator.assertValid(writer.toJson(e));
        }
    }

    @ParameterizedTest
    @EnumSource(EventAction.class)
    void everyActionAndDatasetMatchesTheSchemaWithItsKind(EventAction action) {
        for (EventDataset dataset : EventDataset.values()) {
            String line = writer.toJson(ExampleEvents.agentExecFailed().toBuilder().action(action).build()
                    .toBuilder().build());
            line = line.replace("\"execguard.agent\"", "\"" + dataset.value() + "\"");
            EventSchemaValidator.assertValid(line);
            JsonNode event = JSON.readTree(line).get("event");
            assertEquals(action.value(), event.get("action").asString());
            assertEquals(action == EventAction.EXEC_BLOCKED ? "alert" : "event", event.get("kind").asString());
        }
    }

    @Test
    void writesTheEcsShapeTheIssueAsksFor() {
        JsonNode n = JSON.readTree(writer.toJson(ExampleEvents.agentExecFailed()));
        assertEquals("2026-11-26T18:00:00.123Z", n.get("@timestamp").asString());
        assertEquals("process", n.at("/event/category/0").asString());
        assertEquals("start", n.at("/event/type/0").asString());
        assertEquals("failure", n.at("/event/outcome").asString());
        assertEquals("execguard", n.at("/event/module").asString());
        assertEquals("execguard.agent", n.at("/event/dataset").asString());
        assertEquals(4242, n.at("/process/pid").asInt());
        assertEquals(1, n.at("/process/parent/pid").asInt());
        assertEquals("worker-1", n.at("/process/thread/name").asString());
        assertEquals("CAP_NET_BIND_SERVICE", n.at("/process/thread/capabilities/effective/1").asString());
        assertEquals("/app/bin/helper", n.at("/file/path").asString());
        assertEquals(1_234_567, n.at("/file/size").asLong());
        assertEquals("0755", n.at("/file/mode").asString());
        assertEquals(64, n.at("/file/hash/sha256").asString().length());
        assertEquals("AArch64", n.at("/file/elf/architecture").asString());
        assertEquals("file", n.at("/file/type").asString());
        assertEquals("ELF64", n.at("/file/elf/header/class").asString());
        assertEquals("ENOEXEC", n.at("/error/code").asString());
        assertEquals("containerd", n.at("/container/runtime").asString());
        assertEquals("payments", n.at("/orchestrator/namespace").asString());
        assertEquals("payments-api-7d9f8b6c4-x2x9z", n.at("/orchestrator/resource/name").asString());
        assertEquals("0c4f8e8a-7b5d-4f61-9a0e-2d4c6b8a1e3f", n.at("/orchestrator/resource/id").asString());
        assertEquals("ARCH_MISMATCH", n.at("/execguard/diagnosis/cause").asString());
        assertEquals("ENOEXEC", n.at("/execguard/diagnosis/errno").asString());
        assertEquals("linux/arm64", n.at("/execguard/diagnosis/evidence/elf/platform").asString());
        assertFalse(n.at("/execguard/security/target_in_world_writable_dir").asBoolean());
        assertEquals("agent", n.at("/execguard/source/type").asString());
        assertEquals("jvm", n.at("/execguard/caller/kind").asString());
        assertEquals(n.at("/execguard/diagnosis/summary").asString(), n.get("message").asString());
        assertTrue(n.at("/host/os/kernel").isString());
    }

    @Test
    void securityContextOfThisProcessIsWritten() {
        JsonNode n = JSON.readTree(writer.toJson(ExampleEvents.agentShellFallback()));
        JsonNode security = n.at("/execguard/security");
        assertTrue(security.get("no_new_privs").isBoolean(), security.toString());
        assertTrue(security.get("seccomp").isString(), security.toString());
        assertTrue(n.at("/process/thread/capabilities/effective").isArray());
        assertTrue(n.at("/user/id").asString().matches("[0-9]+"));
    }

    @Test
    void argumentsCommandLineAndMessagesAreRedacted() {
        String line = writer.toJson(ExampleEvents.agentExecFailed());
        assertFalse(line.contains("hunter2"), line);
        assertTrue(line.contains("-Ddb.password=[REDACTED]"), line);
        String sidecar = writer.toJson(ExampleEvents.sidecarExecFailed());
        assertFalse(sidecar.contains("abc123"), sidecar);
        assertTrue(sidecar.contains("--token [REDACTED]"), sidecar);
    }

    @Test
    void summarisedDuplicatesCarryTheirCount() {
        JsonNode n = JSON.readTree(writer.toJson(ExampleEvents.sidecarExecFailed()));
        assertEquals(12, n.at("/execguard/duplicates/count").asInt());
        assertEquals("2026-11-26T17:59:05.000Z", n.at("/execguard/duplicates/first_seen").asString());
        assertEquals("shell", n.at("/execguard/caller/kind").asString());
        assertEquals("1795716725.918:3", n.at("/execguard/source/audit_event_id").asString());
        assertEquals("filter", n.at("/execguard/security/seccomp").asString());
        assertEquals("crio-default (enforce)", n.at("/execguard/security/lsm_label").asString());
    }

    @Test
    void eventIdsAreUniqueVersion4Uuids() {
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = ExampleEvents.minimal(EventAction.EXEC_FAILED, EventDataset.AGENT).id();
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }

    @Test
    void schemaRejectsTyposAndWrongShapes() {
        String good = writer.toJson(ExampleEvents.agentExecFailed());
        List<String> broken = List.of(
                good.replace("\"process\":", "\"procss\":"),
                good.replace("\"working_directory\"", "\"workingDirectory\""),
                good.replace("\"action\":\"exec-failed\"", "\"action\":\"exec-fail\""),
                good.replace("\"kind\":\"event\"", "\"kind\":\"alert\""),
                good.replace("\"cause\":\"ARCH_MISMATCH\"", "\"cause\":\"ARCH_MISMATCHED\""),
                good.replace("\"mode\":\"0755\"", "\"mode\":\"755\""),
                good.replace("\"@timestamp\":\"2026-11-26T18:00:00.123Z\"", "\"@timestamp\":\"yesterday\""),
                good.replace("\"target_in_world_writable_dir\":false", "\"world_writable\":false"));
        for (String b : broken) {
            assertFalse(b.equals(good), "replacement did not apply");
            assertFalse(EventSchemaValidator.errors(b).isEmpty(), "schema accepted: " + b);
        }
    }

    @Test
    void schemaEnumsListEveryCauseAndErrno() {
        JsonNode diagnosis = schema().at("/$defs/diagnosis/properties");
        assertEquals(names(Cause.values()), texts(diagnosis.at("/cause/enum")),
                "docs/event-schema.json $defs.diagnosis.cause.enum must list every Cause constant");
        assertEquals(names(Errno.values()), texts(diagnosis.at("/errno/enum")));
    }

    /** The caching writer writes the same bytes, first from scratch and then from its cache. */
    @Test
    void cachingWriterWritesTheSameBytes() {
        EventJsonWriter caching = EventJsonWriter.caching();
        for (ExecEvent e : ExampleEvents.all()) {
            String expected = writer.toJson(e);
            assertEquals(expected, caching.toJson(e), "first write");
            assertEquals(expected, caching.toJson(e), "from the cache");
            assertEquals(expected, caching.toJson(e.toBuilder().build()), "another event, the same diagnosis");
        }
        ExecEvent base = ExampleEvents.sidecarExecFailed();
        for (io.execguard.core.context.HostInfo h : List.of(new io.execguard.core.context.HostInfo("a", "x86_64", "6.1"),
                new io.execguard.core.context.HostInfo("b", null, null),
                new io.execguard.core.context.HostInfo("a", "x86_64", "6.1"))) {
            ExecEvent e = base.toBuilder().host(h).build();
            assertEquals(writer.toJson(e), caching.toJson(e), "host " + h.hostname());
        }
    }

    /** The fast time stamp agrees with the formatter it replaces, across seconds, millis and years. */
    @Test
    void timestampsMatchTheFormatter() {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(42);
        long[] edges = {0, 999, 1000, 1_795_718_255_067L, -1, -1001, 253_402_300_799_999L, 253_402_300_800_000L};
        for (long millis : edges) {
            java.time.Instant t = java.time.Instant.ofEpochMilli(millis);
            assertEquals(f.format(t), EventJsonWriter.formatTimestamp(t), () -> "epoch millis " + millis);
        }
        for (int i = 0; i < 10_000; i++) {
            java.time.Instant t = java.time.Instant.ofEpochSecond(random.nextInt(2_000_000_000),
                    random.nextInt(1_000_000_000));
            assertEquals(f.format(t), EventJsonWriter.formatTimestamp(t));
            java.time.Instant sameSecond = t.plusMillis(random.nextInt(3));
            assertEquals(f.format(sameSecond), EventJsonWriter.formatTimestamp(sameSecond));
        }
    }

    static JsonNode schema() {
        try (var in = EventJsonWriterTest.class.getResourceAsStream(EventSchemaValidator.SCHEMA_RESOURCE)) {
            return JSON.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
