package io.execguard.agent.hook;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Diagnoses executables with the core engine, caching verdicts by {@link FileKey} so that spawning the same healthy
 * binary again costs one {@code stat}. The cache is bounded: when full it is cleared, which is cheap and keeps the
 * worst case (an application running many distinct files) at one diagnosis per exec.
 */
final class Diagnoser {
    private static final int MAX_ENTRIES = 4096;

    private final DiagnosisEngine engine;
    private final String searchPath;
    private final Map<FileKey, Diagnosis> cache = new ConcurrentHashMap<>();

    Diagnoser(DiagnosisEngine engine, String searchPath) {
        this.engine = engine;
        this.searchPath = searchPath;
    }

    /** The verdict on the existing file {@code path}, from the cache when the file has not changed. */
    Optional<Diagnosis> diagnoseExisting(Path path) {
        Optional<FileKey> key = FileKey.of(path);
        if (!key.isPresent()) {
            return Optional.empty();
        }
        Diagnosis cached = cache.get(key.get());
        if (cached != null && cached.path().equals(path.toString())) {
            return Optional.of(cached);
        }
        Diagnosis fresh = diagnose(path.toString(), "/");
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key.get(), fresh);
        return Optional.of(fresh);
    }

    /** The verdict on {@code path} (absolute, or relative to {@code cwd}), whether or not it exists; not cached. */
    Diagnosis diagnose(String path, String cwd) {
        return engine.diagnose(DiagnosisRequest.builder(path).cwd(cwd).searchPath(searchPath).build());
    }
}
