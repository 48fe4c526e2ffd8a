package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.execguard.agent.it.Fixtures.Fixture;
import com.example.app.ProbeApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real shaded agent in real child JVMs (JDK 17 and Temurin 25) exec'ing real broken files against the real
 * kernel. Each JDK runs the same fixtures three times - without the agent (the baseline: what the application sees
 * today), in observe mode and in enforce mode - one child JVM per run, all fixtures in it. The agent's children
 * verify bootstrap bytecode ({@code BytecodeVerificationLocal}), so a bad hook fails here rather than later.
 */
class ExecFailuresIT {
    @TempDir
    static Path dir;
    static Fixtures fixtures;
    private static final Map<String, Map<String, Outcome>> BASELINES = new HashMap<>();

    @BeforeAll
    static void buildFixtures() throws Exception {
        fixtures = new Fixtures(dir);
    }

    @AfterAll
    static void unmount() {
        fixtures.close();
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void observeModeExplainsFailuresAndLeavesTheShellFallbackIntact(String jdk) throws Exception {
        Map<String, Outcome> baseline = baseline(jdk);
        Path eventsFile = dir.resolve("observe-" + jdk + ".json");
        Map<String, Outcome> seen = probe(jdk, "output=file:" + eventsFile);
        List<JsonNode> events = Events.read(eventsFile);
        for (Fixture f : fixtures.all) {
            Outcome before = baseline.get(f.path.toString());
            Outcome now = seen.get(f.path.toString());
            assertTrue(now.sameForTheApplication(before), f + ": the app saw " + now + " instead of " + before);
            List<JsonNode> about = Events.about(events, f.path);
            assertEquals(1, about.size(), f + ": exactly one event, got " + about);
            JsonNode e = about.get(0);
            assertEquals(f.cause, Events.cause(e), f + ": " + e);
            assertEquals(f.errno, e.path("error").path("code").asText(), f + ": " + e);
            if (f.fallsBackToShell()) {
                assertFalse(before.thrown, f + ": without the agent /bin/sh runs it: " + before);
                assertEquals("exec-shell-fallback", Events.action(e));
                assertEquals("Cannot run program \"" + f.path + "\": " + format(jdk, 8, "Exec format error"),
                        e.path("error").path("message").asText(), "what the app would have seen");
            } else {
                assertTrue(before.thrown && before.suppressed.isEmpty(), f + ": " + before);
                assertEquals("exec-failed", Events.action(e));
                assertEquals(now.message, e.path("error").path("message").asText());
                assertEquals(1, now.suppressed.size(), f + ": one explanation: " + now);
                String explanation = now.suppressed.get(0);
                assertTrue(explanation.startsWith("io.execguard.agent.explain.ExecExplanation: execguard: \""
                        + f.path + "\" cannot run: "), explanation);
                assertTrue(explanation.contains("[" + f.cause + ", execve: " + f.errno + "]"), explanation);
            }
            assertEquals("execguard.agent", e.path("event").path("dataset").asText());
            assertEquals("observe", e.path("execguard").path("details").path("mode").asText());
            assertTrue(e.path("execguard").path("source").path("call_site").path(0).asText()
                    .startsWith(ProbeApp.class.getName() + ".attempt(ProbeApp.java:"), "call site: " + e);
        }
        assertEquals(fixtures.all.size(), events.size(), "no event for the healthy /bin/true: " + events);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void enforceModeRefusesTheShellFallbackWithTheJdksOwnError(String jdk) throws Exception {
        Map<String, Outcome> baseline = baseline(jdk);
        Path eventsFile = dir.resolve("enforce-" + jdk + ".json");
        Map<String, Outcome> seen = probe(jdk, "mode=enforce,output=file:" + eventsFile);
        List<JsonNode> events = Events.read(eventsFile);
        for (Fixture f : fixtures.all) {
            Outcome now = seen.get(f.path.toString());
            JsonNode e = Events.about(events, f.path).get(0);
            assertEquals(1, Events.about(events, f.path).size(), f.toString());
            if (!f.fallsBackToShell()) {
                assertTrue(now.sameForTheApplication(baseline.get(f.path.toString())), f + ": " + now);
                assertEquals("exec-failed", Events.action(e));
                continue;
            }
            String inner = format(jdk, 8, "Exec format error");
            assertTrue(now.thrown, f + ": refused: " + now);
            assertEquals("java.io.IOException", now.type);
            assertEquals("Cannot run program \"" + f.path + "\": " + inner, now.message);
            assertEquals("java.io.IOException", now.causeType);
            assertEquals(inner, now.causeMessage);
            assertEquals(1, now.suppressed.size(), now.toString());
            assertTrue(now.suppressed.get(0).contains("execguard refused \"" + f.path + "\""), now.toString());
            assertTrue(now.suppressed.get(0).contains("[" + f.cause + ", execve: ENOEXEC]"), now.toString());
            assertEquals("exec-blocked", Events.action(e));
            assertEquals("alert", e.path("event").path("kind").asText());
            assertEquals(now.message, e.path("error").path("message").asText());
            assertEquals("shell-fallback", e.path("execguard").path("details").path("policy").asText());
            assertEquals("main", e.path("process").path("thread").path("name").asText());
        }
        assertEquals(fixtures.all.size(), events.size(), events.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"runtime", "pipeline"})
    void runtimeExecAndStartPipelineGoThroughTheSameHooks(String api) throws Exception {
        Fixture failing = fixtures.named("no-execute-bit");
        Fixture fallback = fixtures.named("no-shebang");
        Path eventsFile = dir.resolve(api + ".json");
        ChildJvm.Result r = ChildJvm.of("17").agent("output=file:" + eventsFile).main(ProbeApp.class.getName(),
                api + ":" + failing.path, api + ":" + fallback.path).run(dir);
        assertEquals(0, r.exit, r.toString());
        Map<String, Outcome> seen = Outcome.parseAll(r.stdout);
        assertEquals(1, seen.get(failing.path.toString()).suppressed.size(), r.toString());
        assertFalse(seen.get(fallback.path.toString()).thrown, r.toString());
        List<JsonNode> events = Events.read(eventsFile);
        assertEquals("exec-failed", Events.action(Events.about(events, failing.path).get(0)));
        assertEquals("exec-shell-fallback", Events.action(Events.about(events, fallback.path).get(0)));
        assertEquals(2, events.size(), events.toString());
    }

    /** The JDK's own message for errno {@code n}, checked against a real EACCES in {@link #baseline}. */
    static String format(String jdk, int n, String text) {
        return "25".equals(jdk) ? "Exec failed, error: " + n + " (" + text + ") " : "error=" + n + ", " + text;
    }

    private static Map<String, Outcome> baseline(String jdk) throws Exception {
        Map<String, Outcome> cached = BASELINES.get(jdk);
        if (cached != null) {
            return cached;
        }
        ChildJvm.Result r = ChildJvm.of(jdk).main(ProbeApp.class.getName(), args()).run(dir);
        assertEquals(0, r.exit, r.toString());
        Map<String, Outcome> outcomes = Outcome.parseAll(r.stdout);
        Outcome eacces = outcomes.get(fixtures.all.stream().filter(f -> f.errno.equals("EACCES")).findFirst()
                .get().path.toString());
        assertEquals(format(jdk, 13, "Permission denied"), eacces.causeMessage, "the JDK's real format");
        assertFalse(outcomes.get("/bin/true").thrown);
        BASELINES.put(jdk, outcomes);
        return outcomes;
    }

    private static Map<String, Outcome> probe(String jdk, String options) throws Exception {
        ChildJvm.Result r = ChildJvm.of(jdk).agent(options)
                .jvmArg("-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal")
                .main(ProbeApp.class.getName(), args()).run(dir);
        assertEquals(0, r.exit, r.toString());
        assertFalse(r.stderr.contains("execguard:"), "no agent warning: " + r.stderr);
        Map<String, Outcome> outcomes = Outcome.parseAll(r.stdout);
        assertNotNull(outcomes.get("/bin/true"), r.toString());
        assertFalse(outcomes.get("/bin/true").thrown);
        return outcomes;
    }

    private static String[] args() {
        List<String> args = new ArrayList<>();
        args.add("/bin/true");
        fixtures.all.forEach(f -> args.add(f.path.toString()));
        return args.toArray(new String[0]);
    }
}
