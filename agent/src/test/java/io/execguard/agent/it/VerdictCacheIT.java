package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.app.RewriteApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's verdict cache against the real kernel in a real child JVM: a healthy script is exec'd twice (the
 * second exec is served from the cache), then rewritten in place into a script without {@code #!} that keeps its
 * inode, size and modification time, and exec'd again once the agent's ctime recheck is due (1 s). glibc runs the
 * rewritten file through /bin/sh, and the agent must see that: only the ctime changed. The application sees exactly
 * what it sees without the agent.
 */
class VerdictCacheIT {
    private static final String HEALTHY = "#!/bin/sh\necho healthy\n";
    private static final String REWRITTEN = pad("echo rewritten #", HEALTHY.length() - 1) + "\n";

    @TempDir
    Path dir;

    @Test
    void aScriptRewrittenInPlaceIsDiagnosedAfreshOnTheNextExec() throws Exception {
        Path baselineScript = script("baseline.sh");
        Path agentScript = script("agent.sh");
        List<Outcome> baseline = run(baselineScript, null);
        // The agent caches no verdict on a file changed in the last few seconds (a later change in the same
        // timestamp tick would keep the key), so the script must have settled for the cache to be exercised.
        awaitSettled(agentScript);
        Path eventsFile = dir.resolve("events.json");
        List<Outcome> seen = run(agentScript, "output=file:" + eventsFile);

        for (int i = 0; i < 3; i++) {
            assertTrue(seen.get(i).sameForTheApplication(baseline.get(i)), i + ": " + seen + " vs " + baseline);
        }
        assertEquals("healthy", seen.get(1).output.trim());
        assertEquals("rewritten", seen.get(2).output.trim().split(" ")[0], "/bin/sh ran the rewritten file");
        List<JsonNode> events = Events.about(Events.read(eventsFile), agentScript);
        assertEquals(1, events.size(), "one event, for the exec after the rewrite: " + events);
        assertEquals("exec-shell-fallback", Events.action(events.get(0)));
        assertEquals("SHEBANG_MISSING", Events.cause(events.get(0)), events.get(0).toString());
    }

    private Path script(String name) throws Exception {
        Path p = Files.writeString(dir.resolve(name), HEALTHY);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Whole seconds: the JDK sets times with microsecond precision, so only such a time is restored exactly.
        Files.setLastModifiedTime(p, FileTime.from(1_700_000_000L, TimeUnit.SECONDS));
        return p;
    }

    private List<Outcome> run(Path script, String agentOptions) throws Exception {
        ChildJvm child = ChildJvm.of("17");
        if (agentOptions != null) {
            child.agent(agentOptions);
        }
        ChildJvm.Result r = child.main(RewriteApp.class.getName(), script.toString(), REWRITTEN, "1100").run(dir);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.stdout.contains("KEPT\n"), "the rewrite kept inode, size and mtime: " + r);
        assertFalse(r.stderr.contains("execguard:"), "no agent warning: " + r.stderr);
        List<Outcome> outcomes = new ArrayList<>();
        for (String line : r.stdout.split("\n")) {
            if (line.startsWith("OUTCOME ")) {
                outcomes.add(Outcome.parse(line));
            }
        }
        assertEquals(3, outcomes.size(), r.toString());
        return outcomes;
    }

    private static void awaitSettled(Path file) throws Exception {
        long ctimeMillis = ((FileTime) Files.getAttribute(file, "unix:ctime")).toMillis();
        long wait = ctimeMillis + TimeUnit.SECONDS.toMillis(3) + 200 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static String pad(String s, int length) {
        return s + "#".repeat(length - s.length());
    }
}
