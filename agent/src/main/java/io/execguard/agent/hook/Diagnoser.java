package io.execguard.agent.hook;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers, for every exec, whether the kernel will refuse the file with ENOEXEC, and diagnoses failures.
 *
 * <p>The success path is what every healthy exec pays, so it is cached: a file that {@link EnoexecPrecheck} clears
 * is remembered under its {@link FileKey} (device, inode, size, mtime, ctime), and spawning it again costs one
 * {@code stat} (two for a script: its interpreter is checked too). A changed file gets a new key and is read afresh.
 * A clearance is only cached when the file did not change while it was read and its last change lies more than
 * {@link #RACY_WINDOW_NANOS} in the past, because a second change within the same timestamp tick would keep the key
 * (git's "racily clean" problem). Suspect files are never cached: the engine's verdict on them also depends on
 * other files and on binfmt_misc, which no key of the file covers; they report an event on every exec anyway.
 * The cache is bounded: when full it is cleared, which is cheap and keeps the worst case (an application running
 * many distinct files) at one check per exec. The engine is created on first need.
 */
final class Diagnoser {
    /** Longer than the coarsest file timestamp granularity of common Linux file systems (1 s; FAT: 2 s). */
    static final long RACY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final int MAX_ENTRIES = 4096;

    private final Supplier<DiagnosisEngine> engineFactory;
    private final String searchPath;
    private final LongSupplier clock;
    private final Map<FileKey, Cleared> cleared = new ConcurrentHashMap<>();
    private volatile DiagnosisEngine engine;

    Diagnoser(Supplier<DiagnosisEngine> engineFactory, String searchPath) {
        this(engineFactory, searchPath, new WallClock());
    }

    /** With the wall clock, in nanoseconds since the epoch, that file timestamps are compared with. */
    Diagnoser(Supplier<DiagnosisEngine> engineFactory, String searchPath, LongSupplier clock) {
        this.engineFactory = engineFactory;
        this.searchPath = searchPath;
        this.clock = clock;
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
        Cleared known = cleared.get(key.get());
        if (known != null && known.stillHolds()) {
            return Optional.empty();
        }
        Optional<EnoexecPrecheck.Clearance> clearance = EnoexecPrecheck.clear(path);
        if (!clearance.isPresent()) {
            return Optional.of(diagnose(path.toString(), "/"));
        }
        remember(key.get(), path, clearance.get());
        return Optional.empty();
    }

    /** Number of cached clearances (for tests). */
    int cachedClearances() {
        return cleared.size();
    }

    /** Caches a clearance whose file (and interpreter) is known not to have changed around the read. */
    private void remember(FileKey before, Path path, EnoexecPrecheck.Clearance clearance) {
        long now = clock.getAsLong();
        if (before.changedWithin(RACY_WINDOW_NANOS, now) || !FileKey.of(path).equals(Optional.of(before))) {
            return;
        }
        Optional<FileKey> interpreterKey = Optional.empty();
        if (clearance.interpreter().isPresent()) {
            interpreterKey = FileKey.of(clearance.interpreter().get());
            // Read after the precheck read it: a change in between has a ctime of about now, so it is not cached.
            if (!interpreterKey.isPresent() || interpreterKey.get().changedWithin(RACY_WINDOW_NANOS, now)) {
                return;
            }
        }
        if (cleared.size() >= MAX_ENTRIES) {
            cleared.clear();
        }
        cleared.put(before, new Cleared(clearance.interpreter(), interpreterKey));
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

    /** A cached clearance, with the interpreter (and its key) it rests on, if any. */
    private static final class Cleared {
        private final Optional<Path> interpreter;
        private final Optional<FileKey> interpreterKey;

        Cleared(Optional<Path> interpreter, Optional<FileKey> interpreterKey) {
            this.interpreter = interpreter;
            this.interpreterKey = interpreterKey;
        }

        boolean stillHolds() {
            return !interpreter.isPresent() || FileKey.of(interpreter.get()).equals(interpreterKey);
        }
    }

    /** A named class rather than a lambda: this is created on the way to the first exec (see ExecInterceptor). */
    private static final class WallClock implements LongSupplier {
        @Override
        public long getAsLong() {
            return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        }
    }
}
