package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.app.SoakSpawnApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.execguard.agent.it.Fixtures.Fixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@value #DEFAULT_THREADS} threads spawning healthy and broken files for a fixed time, once without and once
 * with the agent: the child must finish (no deadlock; {@link ChildJvm} kills it after two minutes), the app must
 * see exactly the same set of outcomes either way (exit codes and output, exception types, messages and causes),
 * and the agent must emit exactly one event per failed exec and per shell fallback - none lost, none twice.
 * {@code mvn verify} runs it for a few seconds; {@code bench/agent-soak.sh} runs it for a minute through the
 * system properties {@code execguard.soak.millis}, {@code execguard.soak.threads} and {@code execguard.soak.jdk}.
 */
class ConcurrencySoakIT {
    private static final int DEFAULT_THREADS = 64;

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

    @Test
    void manyThreadsWithMixedFailuresSeeWhatTheyWouldWithoutTheAgent() throws Exception {
        String jdk = System.getProperty("execguard.soak.jdk", "17");
        String threads = System.getProperty("execguard.soak.threads", String.valueOf(DEFAULT_THREADS));
        String millis = System.getProperty("execguard.soak.millis", "3000");
        Fixture eacces = fixtures.named("no-execute-bit");
        Fixture enoent = fixtures.named("missing-interpreter");
        Fixture loader = fixtures.named("missing-loader");
        Fixture crlf = fixtures.named("crlf");
        Fixture fallback = fixtures.named("no-shebang");
        Fixture arch = fixtures.named("wrong-architecture");
        List<String> args = new ArrayList<>(List.of(threads, millis, "/bin/true"));
        for (Fixture f : List.of(eacces, enoent, loader, crlf, fallback, arch)) {
            args.add(f.path.toString());
        }
        String[] argv = args.toArray(new String[0]);

        ChildJvm.Result without = ChildJvm.of(jdk).main(SoakSpawnApp.class.getName(), argv).run(dir);
        Path events = dir.resolve("soak-" + jdk + ".json");
        ChildJvm.Result with = ChildJvm.of(jdk).agent("output=file:" + events)
                .main(SoakSpawnApp.class.getName(), argv).run(dir);
        assertEquals(0, without.exit, without.toString());
        assertEquals(0, with.exit, with.toString());
        assertEquals(lines(without.stdout, "SEEN "), lines(with.stdout, "SEEN "),
                "the app sees the same outcomes with and without the agent");

        Map<String, long[]> counts = counts(with.stdout);
        List<JsonNode> all = Events.read(events);
        String agentSaid = "; the agent said: " + lines(with.stderr, "execguard:");
        long expected = 0;
        for (Fixture f : List.of(eacces, enoent, loader, crlf)) {
            long[] c = counts.get(f.path.toString());
            assertEquals(c[0], c[1], f + ": every exec of it throws");
            assertEquals(c[1], count(Events.about(all, f.path), "exec-failed"),
                    f + ": one event per failure" + agentSaid);
            expected += c[1];
        }
        for (Fixture f : List.of(fallback, arch)) {
            long[] c = counts.get(f.path.toString());
            assertEquals(0, c[1], f + ": glibc's JVM falls back to /bin/sh, nothing is thrown");
            assertEquals(c[0], count(Events.about(all, f.path), "exec-shell-fallback"),
                    f + ": one event each" + agentSaid);
            expected += c[0];
        }
        assertEquals(0, counts.get("/bin/true")[1]);
        assertEquals(expected, all.size(), "no event lost, none twice, nothing else" + agentSaid);
        assertTrue(counts.get("/bin/true")[0] > 0, "the healthy binary ran");
        System.out.println("soak " + threads + " threads x " + millis + " ms on JDK " + jdk + ": "
                + counts.values().stream().mapToLong(c -> c[0]).sum() + " execs, " + all.size() + " events");
    }

    private static List<String> lines(String stdout, String prefix) {
        return stdout.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    private static Map<String, long[]> counts(String stdout) {
        Map<String, long[]> m = new HashMap<>();
        for (String l : lines(stdout, "COUNT ")) {
            String[] f = l.split(" ");
            m.put(f[1], new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        return m;
    }

    private static long count(List<JsonNode> events, String action) {
        return events.stream().filter(e -> Events.action(e).equals(action)).count();
    }
}
