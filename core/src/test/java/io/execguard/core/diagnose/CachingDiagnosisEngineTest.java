package io.execguard.core.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads share one cache: same answers as the engine, bounded size, hits counted. */
class CachingDiagnosisEngineTest {
    @Test
    void concurrentCallersGetTheEnginesAnswers() throws Exception {
        DiagnosisEngine engine = DiagnosisEngine.forHost();
        CachingDiagnosisEngine cache = new CachingDiagnosisEngine(engine, 4);
        List<String> paths = List.of("/bin/true", "/bin/sh", "/usr/bin/env", "/etc/passwd", "/tmp", "/no/such",
                "/usr/bin/ldd", "/dev/null");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        for (String p : paths) {
                            DiagnosisRequest r = DiagnosisRequest.builder(p).build();
                            assertEquals(engine.diagnose(r), cache.diagnose(r));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(cache.hits() > 0, "hits " + cache.hits());
        assertEquals(8 * 50 * paths.size(), cache.hits() + cache.misses());
    }
}
