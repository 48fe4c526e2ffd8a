package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * When watch says what it lost: the first loss at once, later ones at most every 10 s, the rest at shutdown, and
 * nothing while nothing is lost. The kernel's counter itself is read in {@code WatchFaultsTest} (root).
 */
class LossMonitorTest {
    private final List<String> log = new ArrayList<>();
    private final AtomicReference<LossMonitor.Losses> counters = new AtomicReference<>(LossMonitor.Losses.NONE);

    private static LossMonitor.Losses losses(long socketDropped, long gaps, long dropped) {
        return new LossMonitor.Losses(0, socketDropped > 0 ? 1 : 0, socketDropped, gaps, 0, dropped, 0);
    }

    @Test
    void firstLossAtOnceThenAtMostEveryTenSecondsThenTheRestAtClose() {
        LossMonitor m = LossMonitor.start(false, counters::get, log::add);
        m.sample(1_000);
        assertTrue(log.isEmpty(), "nothing lost, nothing said");
        counters.set(losses(31_793, 0, 0));
        m.sample(2_000);
        assertEquals(List.of("lost since start: 31793 records dropped at watch's socket (receive buffer full,"
                + " 1 overflow) (totals on /metrics)"), log);
        counters.set(losses(31_793, 6_358, 0));
        m.sample(3_000);
        assertEquals(1, log.size(), "not again within 10 s");
        m.sample(12_000);
        assertEquals("lost since the last report: 6358 audit events missing (serial gaps) (totals on /metrics)",
                log.get(1), "only what is new since the last line");
        counters.set(losses(31_793, 6_358, 5));
        m.sample(13_000);
        m.close();
        assertEquals(3, log.size(), log::toString);
        assertTrue(log.get(2).contains("5 failed execs dropped by watch"), log.get(2));
    }

    @Test
    void closeSaysNothingWhenNothingWasLost() {
        LossMonitor m = LossMonitor.start(false, counters::get, log::add);
        m.sample(1_000);
        m.close();
        assertTrue(log.isEmpty(), log::toString);
    }

    @Test
    void theKernelCounterGrowsAcrossAResetToZero() {
        assertEquals(5, LossMonitor.growth(895, 900));
        assertEquals(0, LossMonitor.growth(900, 900));
        assertEquals(7, LossMonitor.growth(900, 7), "auditctl --reset-lost, then 7 more");
    }
}
