package io.execguard.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidenceTest {
    /** build() shares the builder's map instead of copying it: what was built must not change afterwards. */
    @Test
    void aBuilderUsedAfterBuildLeavesWhatItBuiltAlone() {
        Evidence.Builder b = Evidence.builder().put("a", "1").put("n", 2);
        Evidence first = b.build();
        b.put("a", "changed").put("b", true).putAll(Evidence.builder().put("c", "3").build());
        Evidence second = b.build();
        assertEquals(Map.of("a", "1", "n", 2L), first.asMap());
        assertEquals(List.of("a", "n", "b", "c"), List.copyOf(second.asMap().keySet()), "insertion order");
        assertEquals("changed", second.asMap().get("a"));
        b.put("d", "4");
        assertEquals(4, second.asMap().size(), "the second build is left alone too");
        assertThrows(UnsupportedOperationException.class, () -> first.asMap().put("x", "y"));
    }
}
