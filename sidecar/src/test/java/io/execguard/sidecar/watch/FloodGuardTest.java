package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloodGuardTest {
    private final List<String> summaries = new ArrayList<>();
    private final FloodGuard<String> guard = new FloodGuard<>(Duration.ofSeconds(60), 3,
            (last, count, first, lastMillis) -> summaries.add(last + " x" + count + " " + first + ".." + lastMillis));

    @Test
    void crashLoopIsOneEventThenASummaryPerWindow() {
        assertTrue(guard.admit("k", "fail@0", 0));
        for (int t = 5_000; t < 60_000; t += 5_000) {
            assertFalse(guard.admit("k", "fail@" + t, t));
        }
        assertEquals(11, guard.suppressed());
        guard.expire(59_999);
        assertTrue(summaries.isEmpty());
        guard.expire(60_000);
        assertEquals(List.of("fail@55000 x11 5000..55000"), summaries);
        assertFalse(guard.admit("k", "fail@65000", 65_000), "the key stays hot after a summary");
        guard.expire(120_000);
        assertEquals("fail@65000 x1 65000..65000", summaries.get(1));
        guard.expire(180_000);
        assertTrue(guard.admit("k", "again", 180_001), "a window without repeats forgets the key");
    }

    @Test
    void differentKeysAreIndependent() {
        assertTrue(guard.admit("a", "a", 0));
        assertTrue(guard.admit("b", "b", 0));
        assertFalse(guard.admit("a", "a2", 1));
    }

    @Test
    void nothingIsLostWhenTheTableIsFullOrOnFlush() {
        guard.admit("a", "a", 0);
        guard.admit("a", "a-repeat", 1);
        guard.admit("b", "b", 2);
        guard.admit("c", "c", 3);
        guard.admit("d", "d", 4); // evicts a, whose repeat is summarised
        assertEquals(List.of("a-repeat x1 1..1"), summaries);
        guard.admit("d", "d-repeat", 5);
        guard.flush();
        assertEquals("d-repeat x1 5..5", summaries.get(1));
    }

    @Test
    void zeroWindowEmitsEverything() {
        FloodGuard<String> none = new FloodGuard<>(Duration.ZERO, 10, (l, c, f, t) -> summaries.add(l));
        assertTrue(none.admit("k", "1", 0));
        assertTrue(none.admit("k", "2", 0));
        assertEquals(0, none.suppressed());
    }
}
