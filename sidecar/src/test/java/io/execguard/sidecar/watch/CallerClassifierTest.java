package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.event.CallerKind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallerClassifierTest {
    private static CallerKind kind(String exe, String comm) {
        return CallerClassifier.classify(Optional.ofNullable(exe), Optional.ofNullable(comm), Optional.empty());
    }

    @Test
    void recognisesCallersSeenOnThisMachine() {
        assertEquals(CallerKind.SHELL, kind("/usr/bin/dash", "sh"));
        assertEquals(CallerKind.SHELL, kind("/usr/bin/bash", "bash"));
        assertEquals(CallerKind.JVM, kind("/usr/lib/jvm/java-17-openjdk-amd64/lib/jspawnhelper", "jspawnhelper"));
        assertEquals(CallerKind.JVM, kind("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "java"));
        assertEquals(CallerKind.OTHER, kind("/root/.pyenv/versions/3.11.7/bin/python3.11", "python3"));
        assertEquals(CallerKind.OTHER, kind("/usr/bin/env", "python3"));
    }

    @Test
    void recognisesRuntimesAndBusybox() {
        assertEquals(CallerKind.RUNC, kind("/usr/bin/runc", "runc:[2:INIT]"));
        assertEquals(CallerKind.RUNC, kind("/memfd:runc_cloned:/proc/self/exe (deleted)", "runc:[2:INIT]"));
        assertEquals(CallerKind.RUNC, kind("/usr/bin/crun", "crun"));
        assertEquals(CallerKind.SHELL, kind("/bin/busybox", "sh"));
        assertEquals(CallerKind.OTHER, kind(null, null));
    }

    @Test
    void shellFallback() {
        assertTrue(CallerClassifier.fallsBackToShell(CallerKind.JVM));
        assertTrue(CallerClassifier.fallsBackToShell(CallerKind.SHELL));
        assertFalse(CallerClassifier.fallsBackToShell(CallerKind.RUNC));
    }
}
