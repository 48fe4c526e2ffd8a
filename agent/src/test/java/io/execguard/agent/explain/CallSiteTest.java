package io.execguard.agent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallSiteTest {
    @Test
    void skipsTheJdkTheAgentAndLaunchLibraries() {
        assertTrue(CallSite.skipped("java.lang.ProcessBuilder"));
        assertTrue(CallSite.skipped("io.execguard.agent.hook.ExecGuard"));
        assertTrue(CallSite.skipped("org.apache.commons.exec.DefaultExecutor"));
        assertTrue(CallSite.skipped("org.zeroturnaround.exec.ProcessExecutor"));
        assertTrue(CallSite.skipped("com.zaxxer.nuprocess.NuProcessBuilder"));
        assertTrue(CallSite.skipped("org.codehaus.groovy.runtime.ProcessGroovyMethods"));
        assertTrue(CallSite.skipped("kotlin.io.ProcessKt"));
        assertFalse(CallSite.skipped("com.acme.Jobs"));
        assertFalse(CallSite.skipped("io.execguard.core.Something"));
    }

    @Test
    void theFirstFrameIsTheFirstOneOutsideTheSkippedPackages() {
        List<String> frames = CallSite.ofCurrentThread();
        // This test lives in the agent's package and is skipped like the agent; reflection is JDK; JUnit is next.
        assertTrue(frames.get(0).startsWith("org.junit."), frames.toString());
        assertTrue(frames.size() <= CallSite.MAX_FRAMES);
    }

    @Test
    void anExplanationHasNoStackTraceOfItsOwn() {
        ExecExplanation e = new ExecExplanation("why");
        assertEquals(0, e.getStackTrace().length);
        assertEquals("why", e.getMessage());
    }
}
