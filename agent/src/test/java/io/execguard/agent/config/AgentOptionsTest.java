package io.execguard.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.event.output.OutputSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void defaultsObserveToStderrWithExplanations() throws Exception {
        AgentOptions o = AgentOptions.parse(null, Map.of());
        assertEquals(Mode.OBSERVE, o.mode());
        assertEquals(OutputSpec.stderr(), o.output());
        assertTrue(o.explain());
        assertEquals(List.of(DenyRule.shellFallback()), o.deny());
        assertEquals(Duration.ofSeconds(1), o.recheck());
    }

    @Test
    void recheckDefaultsByModeAndAcceptsMillisecondsAndSeconds() throws Exception {
        assertEquals(Duration.ZERO, AgentOptions.parse("mode=enforce", Map.of()).recheck());
        assertEquals(Duration.ofMillis(250), AgentOptions.parse("mode=enforce,recheck=250ms", Map.of()).recheck());
        assertEquals(Duration.ZERO, AgentOptions.parse("recheck=0", Map.of()).recheck());
        assertEquals(Duration.ofSeconds(60), AgentOptions.parse("", Map.of("EXECGUARD_RECHECK", "60s")).recheck());
        for (String bad : new String[] {"1", "-1s", "1.5s", "61s", "ms", "1m", "99999999999999999999s"}) {
            assertEquals("invalid recheck '" + bad + "': expected 0, or a duration such as 250ms or 1s, at most 60s",
                    assertThrows(InvalidOptionException.class,
                            () -> AgentOptions.parse("recheck=" + bad, Map.of())).getMessage());
        }
    }

    @Test
    void parsesEveryKeyFromTheArgumentString() throws Exception {
        AgentOptions o = AgentOptions.parse(
                "mode=enforce,output=file:/var/log/execguard.json,explain=false,"
                        + "deny=shell-fallback|world-writable|path:/opt/x/*",
                Map.of());
        assertEquals(Mode.ENFORCE, o.mode());
        assertEquals(OutputSpec.file(Path.of("/var/log/execguard.json")), o.output());
        assertFalse(o.explain());
        assertEquals(3, o.deny().size());
        assertTrue(o.denies(DenyRule.Kind.WORLD_WRITABLE));
        assertTrue(o.deny().get(2).matchesPath(Path.of("/opt/x/tool")));
        assertFalse(o.deny().get(2).matchesPath(Path.of("/opt/y/tool")));
    }

    @Test
    void environmentVariablesApplyAndArgumentsWin() throws Exception {
        Map<String, String> env = Map.of("EXECGUARD_MODE", "enforce", "EXECGUARD_OUTPUT", "stdout",
                "EXECGUARD_DENY", "none");
        AgentOptions fromEnv = AgentOptions.parse("", env);
        assertEquals(Mode.ENFORCE, fromEnv.mode());
        assertEquals(OutputSpec.stdout(), fromEnv.output());
        assertTrue(fromEnv.deny().isEmpty());
        assertEquals(Mode.OBSERVE, AgentOptions.parse("mode=observe", env).mode());
    }

    @Test
    void printsBackInItsOwnSyntax() throws Exception {
        String text = "mode=enforce,output=stdout,explain=false,deny=world-writable|path:/opt/*,recheck=250ms";
        assertEquals(text, AgentOptions.parse(text, Map.of()).toString());
        assertEquals(text, AgentOptions.parse(AgentOptions.parse(text, Map.of()).toString(), Map.of()).toString());
        assertEquals("mode=observe,output=stderr,explain=true,deny=shell-fallback,recheck=1s",
                AgentOptions.defaults().toString());
    }

    @Test
    void rejectsBadInputWithOneSentenceNamingTheOption() {
        assertMessage("unknown option 'colour' (keys: mode, output, explain, deny, recheck)", "colour=red");
        assertMessage("invalid mode 'block': expected observe or enforce", "mode=block");
        assertMessage("invalid explain 'yes': expected true or false", "explain=yes");
        assertMessage("invalid option 'enforce': expected key=value (keys: mode, output, explain, deny, recheck)", "enforce");
        assertMessage("invalid deny rule 'path:opt/*': the glob must be an absolute path", "deny=path:opt/*");
        assertMessage("invalid deny rule 'everything': expected shell-fallback, world-writable or path:GLOB",
                "deny=everything");
        assertThrows(InvalidOptionException.class, () -> AgentOptions.parse("output=file:relative.json", Map.of()));
        assertEquals("invalid mode 'x': expected observe or enforce (from EXECGUARD_MODE)",
                assertThrows(InvalidOptionException.class,
                        () -> AgentOptions.parse("", Map.of("EXECGUARD_MODE", "x"))).getMessage());
    }

    private static void assertMessage(String expected, String args) {
        assertEquals(expected, assertThrows(InvalidOptionException.class,
                () -> AgentOptions.parse(args, Map.of())).getMessage());
    }
}
