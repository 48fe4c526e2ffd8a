package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.app.ConcurrentSpawnApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.execguard.agent.it.Fixtures.Fixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 threads spawning at once, healthy and broken files mixed, the first of them racing the agent's start-up:
 * no deadlock (the child must finish), exactly one event per failure and per shell fallback, one explanation per
 * failed exec, nothing dropped.
 */
class ConcurrencyIT {
    private static final int THREADS = 32;
    private static final int ROUNDS = 4;

    @TempDir
    static Path dir;
    static Fixtures fixtures;

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
    void thirtyTwoThreadsWithMixedFailures(String jdk) throws Exception {
        Fixture eacces = fixtures.named("no-execute-bit");
        Fixture enoent = fixtures.named("missing-interpreter");
        Fixture fallback = fixtures.named("no-shebang");
        Path events = dir.resolve("concurrent-" + jdk + ".json");
        ChildJvm.Result r = ChildJvm.of(jdk).agent("output=file:" + events)
                .main(ConcurrentSpawnApp.class.getName(), String.valueOf(THREADS), String.valueOf(ROUNDS),
                        "/bin/true", eacces.path.toString(), enoent.path.toString(), fallback.path.toString())
                .run(dir);
        assertEquals(0, r.exit, r.toString());
        int each = THREADS * ROUNDS;
        assertEquals(List.of(
                "COUNT /bin/true " + each + " 0 0",
                "COUNT " + eacces.path + " " + each + " " + each + " " + each,
                "COUNT " + enoent.path + " " + each + " " + each + " " + each,
                "COUNT " + fallback.path + " " + each + " 0 0"), List.of(r.stdout.trim().split("\n")));
        List<JsonNode> all = Events.read(events);
        assertEquals(each, count(Events.about(all, eacces.path), "exec-failed"));
        assertEquals(each, count(Events.about(all, enoent.path), "exec-failed"));
        assertEquals(each, count(Events.about(all, fallback.path), "exec-shell-fallback"));
        assertEquals(3 * each, all.size(), "nothing else, nothing dropped");
    }

    private static long count(List<JsonNode> events, String action) {
        return events.stream().filter(e -> Events.action(e).equals(action)).count();
    }
}
