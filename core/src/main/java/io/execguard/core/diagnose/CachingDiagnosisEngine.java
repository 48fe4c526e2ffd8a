package io.execguard.core.diagnose;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.Lookup;
import io.execguard.core.platform.Platform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DiagnosisEngine} with a bounded, thread-safe cache, for callers that see the same files again and again
 * (the agent on every exec, the sidecar on every failed execve). An entry is keyed by the request and by the file's
 * identity and state (resolved path, device, inode, size, mtime, mode, owner), and it is used only while every other
 * file the diagnosis consulted (interpreters, loaders, PATH candidates) still looks the same; a lookup per consulted
 * file is the whole cost of a hit. Host facts are those of the wrapped engine.
 */
public final class CachingDiagnosisEngine {
    private final DiagnosisEngine engine;
    private final int maxEntries;
    private final Map<Key, CachedDiagnosis> cache;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** Caches up to {@code maxEntries} diagnoses of {@code engine}, least recently used evicted first. */
    public CachingDiagnosisEngine(DiagnosisEngine engine, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        this.maxEntries = maxEntries;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CachedDiagnosis> eldest) {
                return size() > CachingDiagnosisEngine.this.maxEntries;
            }
        };
    }

    public DiagnosisEngine engine() {
        return engine;
    }

    /** Like {@link DiagnosisEngine#diagnose(DiagnosisRequest)}, served from the cache while the files are unchanged. */
    public Diagnosis diagnose(DiagnosisRequest request) {
        FileTree tree = request.tree().orElse(engine.defaultTree());
        Platform platform = request.platform().orElse(engine.hostFacts().platform());
        Lookup top = tree.lookup(request.path(), request.cwd());
        if (!top.isFound()) {
            misses.incrementAndGet();
            return engine.diagnose(request);
        }
        Key key = new Key(tree, request, platform, top);
        CachedDiagnosis entry;
        synchronized (cache) {
            entry = cache.get(key);
        }
        if (entry != null && entry.stillValid(tree)) {
            hits.incrementAndGet();
            return entry.diagnosis;
        }
        misses.incrementAndGet();
        DiagnosisEngine.Result result = engine.run(request);
        synchronized (cache) {
            cache.put(key, new CachedDiagnosis(result.diagnosis, result.consulted));
        }
        return result.diagnosis;
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** Drops every entry (e.g. after binfmt_misc or mount changes the wrapped engine cannot see). */
    public void clear() {
        synchronized (cache) {
            cache.clear();
        }
    }

    private static final class Key {
        private final FileTree tree;
        private final String path;
        private final String cwd;
        private final String searchPath;
        private final Platform platform;
        private final String resolvedPath;
        private final FileAttributes attributes;
        private final Object credentials;

        Key(FileTree tree, DiagnosisRequest r, Platform platform, Lookup top) {
            this.tree = tree;
            this.path = r.path();
            this.cwd = r.cwd();
            this.searchPath = r.searchPath();
            this.platform = platform;
            this.resolvedPath = top.resolvedPath();
            this.attributes = top.attributes().orElseThrow();
            this.credentials = r.credentials().orElse(null);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return tree.equals(k.tree) && path.equals(k.path) && cwd.equals(k.cwd) && searchPath.equals(k.searchPath)
                    && platform.equals(k.platform) && resolvedPath.equals(k.resolvedPath)
                    && attributes.equals(k.attributes) && Objects.equals(credentials, k.credentials);
        }

        @Override
        public int hashCode() {
            return Objects.hash(path, resolvedPath, attributes.inode(), attributes.mtimeNanos());
        }
    }

    private static final class CachedDiagnosis {
        private final Diagnosis diagnosis;
        private final List<Inspection.Consulted> consulted;

        CachedDiagnosis(Diagnosis diagnosis, List<Inspection.Consulted> consulted) {
            this.diagnosis = diagnosis;
            this.consulted = consulted;
        }

        /** True when every file consulted after the first (the key's own file) still resolves the same way. */
        boolean stillValid(FileTree tree) {
            for (int i = 1; i < consulted.size(); i++) {
                Inspection.Consulted c = consulted.get(i);
                Lookup now = tree.lookup(c.path, c.cwd);
                if (now.status() != c.lookup.status() || !now.resolvedPath().equals(c.lookup.resolvedPath())
                        || !now.attributes().equals(c.lookup.attributes())) {
                    return false;
                }
            }
            return true;
        }
    }
}
