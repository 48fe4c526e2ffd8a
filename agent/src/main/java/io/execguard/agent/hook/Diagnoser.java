package io.execguard.agent.hook;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers, for every exec, whether the kernel will refuse the file with ENOEXEC, and diagnoses failures. Verdicts
 * are cached by {@link FileKey} (device, inode, size, mtime), so spawning the same binary again costs one
 * {@code stat}; a file that {@link EnoexecPrecheck} clears never reaches the engine, which is created on first
 * need. The cache is bounded: when full it is cleared, which is cheap and keeps the worst case (an application
 * running many distinct files) at one check per exec.
 */
final class Diagnoser {
    private static final int MAX_ENTRIES = 4096;
    /** Cached for files the precheck cleared: no diagnosis needed. */
    private static final Optional<Diagnosis> CLEARED = Optional.empty();

    private final Supplier<DiagnosisEngine> engineFactory;
    private final String searchPath;
    private final Map<FileKey, Optional<Diagnosis>> cache = new ConcurrentHashMap<>();
    private volatile DiagnosisEngine engine;

    Diagnoser(Supplier<DiagnosisEngine> engineFactory, String searchPath) {
        this.engineFactory = engineFactory;
        this.searchPath = searchPath;
    }

    /**
     * The engine's verdict on the existing file {@code path} when it may be refused with ENOEXEC; empty when the
     * precheck cleared it or the file cannot be stat'ed (the exec then fails by itself, with its own error).
     */
    Optional<Diagnosis> diagnoseIfSuspect(Path path) {
        Optional<FileKey> key = FileKey.of(path);
        if (!key.isPresent()) {
            return Optional.empty();
        }
        Optional<Diagnosis> cached = cache.get(key.get());
        if (cached != null && (!cached.isPresent() || cached.get().path().equals(path.toString()))) {
            return cached;
        }
        Optional<Diagnosis> fresh = EnoexecPrecheck.mayBeEnoexec(path)
                ? Optional.of(diagnose(path.toString(), "/")) : CLEARED;
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key.get(), fresh);
        return fresh;
    }

    /** The verdict on {@code path} (absolute, or relative to {@code cwd}), whether or not it exists; not cached. */
    Diagnosis diagnose(String path, String cwd) {
        return engine().diagnose(DiagnosisRequest.builder(path).cwd(cwd).searchPath(searchPath).build());
    }

    private DiagnosisEngine engine() {
        DiagnosisEngine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    e = engineFactory.get();
                    engine = e;
                }
            }
        }
        return e;
    }
}
