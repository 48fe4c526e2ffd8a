package io.execguard.sidecar.scan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {
    @Test
    void globsWithASlashMatchThePathAndOthersTheName() {
        IgnoreRules rules = IgnoreRules.of(List.of("/usr/lib/**", "*.so*", "/opt/*/bin/tool"));
        assertTrue(rules.ignores("/usr/lib/x86_64-linux-gnu/deep/thing"));
        assertTrue(rules.ignores("/anywhere/libfoo.so.1"));
        assertTrue(rules.ignores("/opt/a/bin/tool"));
        assertFalse(rules.ignores("/opt/a/b/bin/tool"), "* stays within one directory");
        assertFalse(rules.ignores("/usr/bin/tool"));
        assertFalse(IgnoreRules.none().ignores("/x"));
    }

    @Test
    void aMalformedGlobIsAUsageError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IgnoreRules.of(List.of("/a/{b")));
        assertTrue(e.getMessage().startsWith("invalid --ignore glob"), e.getMessage());
    }
}
