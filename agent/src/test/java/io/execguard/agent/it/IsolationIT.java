package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.app.LibraryConflictApp;
import com.example.app.ProbeApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.execguard.agent.it.Fixtures.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent is invisible to the application: its own, different library versions and logging configuration work
 * unchanged; the OpenTelemetry Java agent runs beside it in either order; a read-only temp directory stays
 * untouched; invalid options disable the agent with one line instead of breaking the application.
 */
class IsolationIT {
    @TempDir
    static Path dir;
    static Fixtures fixtures;
    static Fixture failing;
    static Fixture fallback;

    @BeforeAll
    static void buildFixtures() throws Exception {
        fixtures = new Fixtures(dir);
        failing = fixtures.named("no-execute-bit");
        fallback = fixtures.named("no-shebang");
    }

    @AfterAll
    static void unmount() {
        fixtures.close();
    }

    @Test
    void anApplicationWithOtherByteBuddyJacksonSlf4jAndLogbackRunsUnchanged() throws Exception {
        Path config = Files.writeString(dir.resolve("app-logback.xml"), "<configuration>"
                + "<appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\"><encoder>"
                + "<pattern>APPLOG %level %msg%n</pattern></encoder></appender>"
                + "<root level=\"INFO\"><appender-ref ref=\"OUT\"/></root></configuration>");
        Path events = dir.resolve("conflict.json");
        ChildJvm child = ChildJvm.of("17").agent("output=file:" + events)
                .jvmArg("-Dlogback.configurationFile=" + config);
        for (String jar : List.of("byte-buddy.jar", "jackson-core.jar", "slf4j-api.jar", "logback-classic.jar",
                "logback-core.jar")) {
            child.classpath(ChildJvm.IT_LIBS.resolve(jar));
        }
        ChildJvm.Result r = child.main(LibraryConflictApp.class.getName(), failing.path.toString()).run(dir);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.stdout.contains("BYTEBUDDY file:" + ChildJvm.IT_LIBS.resolve("byte-buddy.jar") + " "),
                "the app's own Byte Buddy: " + r);
        assertTrue(r.stdout.contains("JACKSON 2.12.7"), "the app's own jackson-core: " + r);
        assertTrue(r.stdout.contains("LOGGERFACTORY ch.qos.logback.classic.LoggerContext"), r.toString());
        assertTrue(r.stdout.contains("APPLOG INFO attempted " + failing.path), "the app's logback.xml: " + r);
        Outcome o = Outcome.parseAll(r.stdout).get(failing.path.toString());
        assertEquals(1, o.suppressed.size(), o.toString());
        assertEquals(1, Events.read(events).size());
        assertEquals("", r.stderr, "nothing from the agent on stderr");
    }

    @Test
    void anApplicationWithItsOwnExecguardCoreDoesNotReplaceTheAgentsCopy() throws Exception {
        // A different execguard-core on the application's class path: this DiagnosisJson has no write method, so an
        // agent that used the application's copy instead of its relocated own would lose every event.
        Path src = Files.createDirectories(dir.resolve("other-core-src/io/execguard/core/json"));
        Path classes = Files.createDirectories(dir.resolve("other-core-classes"));
        Path java = Files.writeString(src.resolve("DiagnosisJson.java"),
                "package io.execguard.core.json; public final class DiagnosisJson { public static String version() "
                        + "{ return \"other\"; } }");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), java.toString()));
        Path events = dir.resolve("other-core.json");
        ChildJvm.Result r = ChildJvm.of("17").agent("output=file:" + events).classpath(classes)
                .main(ProbeApp.class.getName(), failing.path.toString()).run(dir);
        assertEquals(0, r.exit, r.toString());
        assertEquals(1, Outcome.parseAll(r.stdout).get(failing.path.toString()).suppressed.size(), r.toString());
        assertEquals(List.of("exec-failed"), Events.read(events).stream().map(Events::action)
                .collect(Collectors.toList()), r.toString());
        assertEquals("", r.stderr, "nothing from the agent on stderr");
    }

    @ParameterizedTest(name = "OpenTelemetry agent {0} execguard")
    @ValueSource(strings = {"before", "after"})
    void worksBesideTheOpenTelemetryAgent(String order) throws Exception {
        Path events = dir.resolve("otel-" + order + ".json");
        String otel = "-javaagent:" + ChildJvm.IT_LIBS.resolve("opentelemetry-javaagent.jar");
        ChildJvm child = ChildJvm.of("17").env("OTEL_TRACES_EXPORTER", "none").env("OTEL_METRICS_EXPORTER", "none")
                .env("OTEL_LOGS_EXPORTER", "none").env("OTEL_JAVAAGENT_LOGGING", "none");
        if (order.equals("before")) {
            child.jvmArg(otel).agent("output=file:" + events);
        } else {
            child.agent("output=file:" + events).jvmArg(otel);
        }
        List<String> cmd = child.main(ProbeApp.class.getName(), failing.path.toString(), fallback.path.toString())
                .command();
        if (order.equals("before")) {
            assertTrue(cmd.indexOf(otel) < indexOfAgent(cmd), cmd.toString());
        } else {
            assertTrue(cmd.indexOf(otel) > indexOfAgent(cmd), cmd.toString());
        }
        ChildJvm.Result r = child.run(dir);
        assertEquals(0, r.exit, r.toString());
        Map<String, Outcome> outcomes = Outcome.parseAll(r.stdout);
        assertEquals(1, outcomes.get(failing.path.toString()).suppressed.size(), r.toString());
        assertFalse(outcomes.get(fallback.path.toString()).thrown, "fallback intact: " + r);
        List<String> actions = Events.read(events).stream().map(Events::action).collect(Collectors.toList());
        assertEquals(List.of("exec-failed", "exec-shell-fallback"), actions);
    }

    @Test
    void neverWritesToTheTempDirectoryAndWorksWhenItIsReadOnly() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("readonly-tmp"));
        boolean mounted = ReadOnlyDirectory.make(tmp);
        Path events = dir.resolve("readonly.json");
        try {
            ChildJvm.Result r = ChildJvm.of("17").agent("output=file:" + events)
                    .jvmArg("-Djava.io.tmpdir=" + tmp)
                    .main(ProbeApp.class.getName(), failing.path.toString(), fallback.path.toString()).run(dir);
            assertEquals(0, r.exit, r.toString());
            assertEquals(1, Outcome.parseAll(r.stdout).get(failing.path.toString()).suppressed.size(), r.toString());
            assertEquals(2, Events.read(events).size());
            try (Stream<Path> files = Files.list(tmp)) {
                assertEquals(List.of(), files.collect(Collectors.toList()), "nothing written to java.io.tmpdir");
            }
        } finally {
            ReadOnlyDirectory.undo(tmp, mounted);
        }
    }

    @Test
    void invalidOptionsPrintOneLineAndLeaveTheApplicationAlone() throws Exception {
        ChildJvm.Result r = ChildJvm.of("17").agent("mode=block")
                .main(ProbeApp.class.getName(), failing.path.toString()).run(dir);
        assertEquals(0, r.exit, r.toString());
        assertEquals("execguard: invalid mode 'block': expected observe or enforce; the agent is disabled\n",
                r.stderr);
        Outcome o = Outcome.parseAll(r.stdout).get(failing.path.toString());
        assertTrue(o.thrown && o.suppressed.isEmpty(), o.toString());
    }

    private static int indexOfAgent(List<String> cmd) {
        for (int i = 0; i < cmd.size(); i++) {
            if (cmd.get(i).startsWith("-javaagent:" + ChildJvm.AGENT_JAR)) {
                return i;
            }
        }
        return -1;
    }
}
