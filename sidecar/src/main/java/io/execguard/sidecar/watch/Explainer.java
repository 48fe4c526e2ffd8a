package io.execguard.sidecar.watch;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.event.CallerKind;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.PathItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches a failure with what /proc says about its caller and diagnoses the target inside the caller's root - or
 * its parent's, when the short-lived child is gone. When neither exists any more the failure is still explained
 * with what the records say, and the event says why there is no diagnosis. Not thread-safe: one worker.
 */
public final class Explainer {
    private static final Logger LOG = LoggerFactory.getLogger(Explainer.class);

    private static final List<String> FALLBACK_ROOTS = List.of("/", "/proc/1/root");

    private static final long MEMORY_NANOS = 2_000_000_000L;
    private static final int MEMORY_ENTRIES = 1024;

    private final Map<String, Remembered> memory = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > MEMORY_ENTRIES;
        }
    };
    private final DiagnosisEngine engine;
    private final ProcReader proc;
    private final RootTrees trees;

    public Explainer(DiagnosisEngine engine, ProcReader proc, RootTrees trees) {
        this.engine = engine;
        this.proc = proc;
        this.trees = trees;
    }

    /**
     * Explains {@code f} in the root of the process that tried the exec, or of its parent once the short-lived
     * child is gone, or - when both are gone - in watch's own root or the host's ({@code /proc/1/root}, with
     * hostPID). When the records carry the file's device and inode, a root is used only if the path leads to that
     * very file there (a runtime's parent lives in another root than the container it starts); a root that
     * vanished while it was being read (the process exited) does not count either.
     */
    public ExplainedFailure explain(ExecFailure f) {
        Optional<CallerProcess> self = proc.read(f.pid(), false);
        // The parent is read only when needed: reading a /proc entry costs as much as the rest of the event.
        Optional<CallerProcess> parent = self.isPresent() && self.get().ppid() == f.ppid()
                ? Optional.empty() : proc.read(f.ppid(), true);
        Optional<CallerProcess> caller = self.isPresent() ? self : parent;
        CallerKind kind = CallerClassifier.classify(f.exe(), f.comm(), Optional.empty());
        Optional<PathItem> target = f.target();
        if (target.isEmpty() || target.get().name().isEmpty()) {
            return new ExplainedFailure(f, caller, kind, Optional.empty(),
                    Optional.of("the audit records name no file (execveat on a file descriptor)"), Optional.empty(),
                    Optional.empty());
        }
        List<Candidate> candidates = new ArrayList<>(4);
        self.ifPresent(p -> candidates.add(new Candidate(p.root(), p.pid())));
        parent.ifPresent(p -> candidates.add(new Candidate(p.root(), p.pid())));
        for (String root : FALLBACK_ROOTS) {
            candidates.add(new Candidate(root, 0));
        }
        boolean identity = target.get().inode().isPresent() && target.get().device().isPresent();
        if (self.isPresent() && parent.isEmpty()) {
            candidates.add(new Candidate(proc.rootOf(f.ppid()), f.ppid()));
        }
        for (Candidate c : candidates) {
            if (!identity && c.pid == 0) {
                break; // without the inode nothing proves that another root holds the same file
            }
            Optional<String> key = identity ? cacheKey(f, target.get(), c.root) : Optional.empty();
            Optional<Diagnosis> d = key.flatMap(this::cached);
            if (d.isEmpty()) {
                d = diagnoseIfSame(f, target.get(), c.root, identity);
                if (d.isPresent() && key.isPresent()) {
                    remember(key.get(), d.get());
                }
            }
            if (c.pid != 0 && !proc.exists(c.pid)) {
                continue; // the process exited while its root was being read
            }
            if (d.isPresent()) {
                return new ExplainedFailure(f, caller, kind, d, Optional.empty(), Optional.of(c.root),
                        Optional.empty());
            }
        }
        return new ExplainedFailure(f, caller, kind, Optional.empty(), Optional.of(caller.isEmpty()
                ? "the caller and its parent had exited, and no root reachable here holds the same file"
                : "the file was not found as the records name it in the caller's root"), Optional.empty(),
                Optional.empty());
    }

    /**
     * Diagnoses are remembered briefly per (root directory, path, device, inode): a crash loop or a busy
     * caller fails the same way many times a second, and the file is the same file as long as these match.
     */
    private Optional<String> cacheKey(ExecFailure f, PathItem target, String root) {
        try {
            Object rootKey = Files.readAttributes(Path.of(root), BasicFileAttributes.class).fileKey();
            return Optional.of(rootKey + "\0" + f.cwd().orElse("/") + "\0" + target.name() + "\0"
                    + target.device().orElse("") + "\0" + target.inode().getAsLong());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Diagnosis> cached(String key) {
        Remembered r = memory.get(key);
        return r != null && System.nanoTime() - r.atNanos < MEMORY_NANOS ? Optional.of(r.diagnosis)
                : Optional.empty();
    }

    private void remember(String key, Diagnosis d) {
        memory.put(key, new Remembered(d, System.nanoTime()));
    }

    private static final class Remembered {
        final Diagnosis diagnosis;
        final long atNanos;

        Remembered(Diagnosis diagnosis, long atNanos) {
            this.diagnosis = diagnosis;
            this.atNanos = atNanos;
        }
    }

    /** Opens the root once (pinning it) for the identity check and the diagnosis. */
    private Optional<Diagnosis> diagnoseIfSame(ExecFailure f, PathItem target, String root, boolean identity) {
        try {
            return trees.with(root, tree -> identity && !SameFile.matches(f, tree) ? Optional.<Diagnosis>empty()
                    : Optional.of(engine.diagnose(DiagnosisRequest.builder(target.name())
                            .cwd(f.cwd().orElse("/")).tree(tree).build())));
        } catch (RuntimeException e) {
            LOG.debug("diagnosis of {} in {} failed", target.name(), root, e);
            return Optional.empty();
        }
    }

    private static final class Candidate {
        final String root;
        final long pid;

        Candidate(String root, long pid) {
            this.root = root;
            this.pid = pid;
        }
    }

    /** Explains {@code f} in a given root (pod scope found it there), with the caller facts available. */
    public ExplainedFailure explain(ExecFailure f, Optional<CallerProcess> caller, Optional<String> root) {
        CallerKind kind = CallerClassifier.classify(f.exe(), f.comm(), caller.flatMap(CallerProcess::parentExe));
        Optional<PathItem> target = f.target();
        if (target.isEmpty() || target.get().name().isEmpty()) {
            return new ExplainedFailure(f, caller, kind, Optional.empty(),
                    Optional.of("the audit records name no file (execveat on a file descriptor)"), root,
                    Optional.empty());
        }
        if (root.isEmpty()) {
            return new ExplainedFailure(f, caller, kind, Optional.empty(),
                    Optional.of("the caller and its parent had exited, and no root reachable here holds the same file"),
                    root,
                    Optional.empty());
        }
        try {
            Diagnosis d = trees.with(root.get(), tree -> engine.diagnose(DiagnosisRequest.builder(
                    target.get().name()).cwd(f.cwd().orElse("/")).tree(tree).build()));
            return new ExplainedFailure(f, caller, kind, Optional.of(d), Optional.empty(), root,
                    Optional.empty());
        } catch (RuntimeException e) {
            LOG.debug("diagnosis of {} in {} failed", target.get().name(), root.get(), e);
            return new ExplainedFailure(f, caller, kind, Optional.empty(),
                    Optional.of("diagnosis failed: " + e), root, Optional.empty());
        }
    }
}
