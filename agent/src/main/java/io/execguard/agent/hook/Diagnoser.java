package io.execguard.agent.hook;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers, for every exec, whether the kernel will refuse the file with ENOEXEC, and diagnoses failures.
 *
 * <p>The success path is what every healthy exec pays, so it is cached: a file that {@link EnoexecPrecheck} clears
 * is remembered under its {@link FileKey} (device, inode, size, mtime), and spawning it again costs one
 * {@code stat} (two for a script: its interpreter is checked too). A changed file gets a new key and is read afresh.
 * Rules that keep the cache honest:
 * <ul>
 *   <li>A clearance is only cached when the file did not change while it was read and its ctime lies more than
 *       {@link #RACY_WINDOW_NANOS} in the past: timestamps come from a coarse clock, so a second change within the
 *       same tick would keep the key (git's "racily clean" problem).</li>
 *   <li>The modification time can be set back by whoever may write the file; the ctime cannot. Reading it needs
 *       the {@code unix} attribute view, which costs every exec about half a microsecond more than the key and,
 *       measured in a spawn loop, twice the agent's CPU while the JIT compiles it; so a cached clearance re-checks
 *       the ctime at most every {@link #CTIME_RECHECK_NANOS}. A file rewritten in place with its old size whose
 *       mtime is then set back to the nanosecond is therefore seen within that interval rather than at once.</li>
 *   <li>A script's clearance also rests on its interpreter, which is checked on every hit too.</li>
 *   <li>Suspect files are never cached: the engine's verdict on them also depends on other files and on
 *       binfmt_misc, which no key of the file covers; they report an event on every exec anyway.</li>
 * </ul>
 * The cache is bounded: when full it is cleared, which is cheap and keeps the worst case (an application running
 * many distinct files) at one check per exec. The engine is created on first need.
 */
final class Diagnoser {
    /** Longer than the coarsest file timestamp granularity of common Linux file systems (1 s; FAT: 2 s). */
    static final long RACY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** How long a cached clearance is trusted without reading the file's ctime again. */
    static final long CTIME_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
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
        return check(path).suspect();
    }

    /** As {@link #diagnoseIfSuspect}, also telling whether a clearance rests on a settled, cached verdict. */
    Verdict check(Path path) {
        FileKey key = FileKey.of(path);
        if (key == null) {
            return Verdict.UNSETTLED;
        }
        Cleared known = cleared.get(key);
        if (known != null && known.stillHolds(path, clock.getAsLong())) {
            return Verdict.SETTLED;
        }
        Optional<EnoexecPrecheck.Clearance> clearance = EnoexecPrecheck.clear(path);
        if (!clearance.isPresent()) {
            return new Verdict(Optional.of(diagnose(path.toString(), "/")), false);
        }
        return remember(key, path, clearance.get()) ? Verdict.SETTLED : Verdict.UNSETTLED;
    }

    /** Number of cached clearances (for tests). */
    int cachedClearances() {
        return cleared.size();
    }

    /**
     * Caches a clearance whose file (and interpreter) is known not to have changed around the read; false when it
     * did or may have (changed within the racy window), so it is not cached.
     */
    private boolean remember(FileKey key, Path path, EnoexecPrecheck.Clearance clearance) {
        long now = clock.getAsLong();
        Settled file = Settled.of(path, key, now);
        if (file == null) {
            return false;
        }
        Settled interpreter = null;
        if (clearance.interpreter().isPresent()) {
            Path p = clearance.interpreter().get();
            // Read after the precheck read it: a change in between has a ctime of about now, so it is not cached.
            interpreter = Settled.of(p, FileKey.of(p), now);
            if (interpreter == null) {
                return false;
            }
        }
        if (cleared.size() >= MAX_ENTRIES) {
            cleared.clear();
        }
        cleared.put(key, new Cleared(file, interpreter, now));
        return true;
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

    /**
     * The answer for one file: a suspect's diagnosis, or a clearance that is {@link #settled} (the file has not
     * changed for a while and its verdict is cached) or not (the file changed recently, or could not be stat'ed).
     */
    static final class Verdict {
        static final Verdict SETTLED = new Verdict(Optional.empty(), true);
        static final Verdict UNSETTLED = new Verdict(Optional.empty(), false);

        private final Optional<Diagnosis> suspect;
        private final boolean settled;

        private Verdict(Optional<Diagnosis> suspect, boolean settled) {
            this.suspect = suspect;
            this.settled = settled;
        }

        /** The engine's verdict when the kernel may refuse the file with ENOEXEC. */
        Optional<Diagnosis> suspect() {
            return suspect;
        }

        /** Cleared, and the clearance rests on a file that has not changed recently. */
        boolean settled() {
            return settled;
        }
    }

    /** A file whose key and ctime were read after its content, and whose last change is old enough to trust. */
    private static final class Settled {
        final Path path;
        final FileKey key;
        final long ctimeNanos;

        private Settled(Path path, FileKey key, long ctimeNanos) {
            this.path = path;
            this.key = key;
            this.ctimeNanos = ctimeNanos;
        }

        /** Null when {@code path} no longer has {@code expected} as its key or changed within the racy window. */
        static Settled of(Path path, FileKey expected, long now) {
            if (expected == null) {
                return null;
            }
            OptionalLong ctime = FileKey.ctimeNanos(path);
            if (!ctime.isPresent() || now - ctime.getAsLong() < RACY_WINDOW_NANOS
                    || !expected.equals(FileKey.of(path))) {
                return null;
            }
            return new Settled(path, expected, ctime.getAsLong());
        }

        boolean ctimeUnchanged(Path at) {
            OptionalLong ctime = FileKey.ctimeNanos(at);
            return ctime.isPresent() && ctime.getAsLong() == ctimeNanos;
        }
    }

    /** A cached clearance, with the interpreter it rests on, if any, and when its ctimes were last confirmed. */
    private static final class Cleared {
        private final Settled file;
        private final Settled interpreter;
        private volatile long checkedAtNanos;

        Cleared(Settled file, Settled interpreter, long now) {
            this.file = file;
            this.interpreter = interpreter;
            this.checkedAtNanos = now;
        }

        /** {@code path} is the file whose key matched this entry (possibly another link to the same inode). */
        boolean stillHolds(Path path, long now) {
            if (interpreter != null && !interpreter.key.equals(FileKey.of(interpreter.path))) {
                return false;
            }
            long since = now - checkedAtNanos;
            if (since >= CTIME_RECHECK_NANOS || since < 0) {
                boolean interpreterChanged = interpreter != null && !interpreter.ctimeUnchanged(interpreter.path);
                if (interpreterChanged || !file.ctimeUnchanged(path)) {
                    return false;
                }
                checkedAtNanos = now;
            }
            return true;
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
