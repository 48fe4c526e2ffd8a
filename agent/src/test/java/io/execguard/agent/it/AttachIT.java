package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.app.AttachTargetApp;
import io.execguard.agent.it.Fixtures.Fixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code java -jar execguard-agent.jar attach PID} loads the agent into a running JVM that has already exec'ed. */
class AttachIT {
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
    void attachesToARunningJvm(String jdk) throws Exception {
        Fixture failing = fixtures.named("no-execute-bit");
        Fixture fallback = fixtures.named("no-shebang");
        Path events = dir.resolve("attach-" + jdk + ".json");
        Process target = ChildJvm.of(jdk).main(AttachTargetApp.class.getName()).start(dir);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(),
                StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(target.getOutputStream(), StandardCharsets.UTF_8)) {
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("READY "), String.valueOf(ready));
            // Process classes are loaded and used before the agent arrives: it must retransform them.
            in.write(failing.path + "\n");
            in.flush();
            assertTrue(Outcome.parse(out.readLine()).suppressed.isEmpty());

            ChildJvm.Result attach = ChildJvm.of(jdk).main("-jar", ChildJvm.AGENT_JAR.toString(), "attach",
                    String.valueOf(target.pid()), "output=file:" + events).run(dir);
            assertEquals(0, attach.exit, attach.toString());
            assertEquals("execguard: agent loaded into JVM " + target.pid() + "\n", attach.stdout);

            Outcome after = awaitExplained(in, out, failing);
            assertEquals(1, after.suppressed.size(), after.toString());
            in.write(fallback.path + "\n");
            in.flush();
            assertTrue(!Outcome.parse(out.readLine()).thrown);
            in.write("exit\n");
            in.flush();
        } finally {
            target.waitFor();
        }
        assertEquals(2, Events.read(events).size(), Events.read(events).toString());
    }

    /** The agent installs its hooks on a background thread: the first exec after attach may still be unhooked. */
    private static Outcome awaitExplained(Writer in, BufferedReader out, Fixture failing) throws Exception {
        for (int i = 0; i < 150; i++) {
            in.write(failing.path + "\n");
            in.flush();
            Outcome o = Outcome.parse(out.readLine());
            if (!o.suppressed.isEmpty()) {
                return o;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the attached agent never explained an exec");
    }
}
