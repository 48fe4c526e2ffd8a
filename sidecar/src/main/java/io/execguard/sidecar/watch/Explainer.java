package io.execguard.sidecar.watch;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.diagnose.Errno;
import io.execguard.core.diagnose.ObservedFailure;
import io.execguard.core.event.CallerKind;
import io.execguard.core.event.FileInfo;
import io.execguard.core.fs.FileTree;
import io.execguard.core.hash.FileHasher;
import io.execguard.core.platform.Credentials;
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
 * with what the records say, and the event says why there is no diagnosis. A root the kernel refuses while its
 * process exists ends the search: the file is then not diagnosed at all rather than in a root that is not the
 * caller's. The permission check is replayed with the caller's credentials, never watch's own. Not thread-safe: one
 * worker.
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
    private final RootAccess access;
    private final FileHasher hasher = FileHasher.withDefaults();

    public Explainer(DiagnosisEngine engine, ProcReader proc, RootTrees trees) {
        this(engine, proc, trees, RootAccess.ofThisProcess());
    }

    Explainer(DiagnosisEngine engine, ProcReader proc, RootTrees trees, RootAccess access) {
        this.engine = engine;
        this.proc = proc;
        this.trees = trees;
        this.access = access;
    }

    /** What this watch's privileges let it open. */
    RootAccess access() {
        return access;
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
        Credentials credentials = credentials(f, self.flatMap(p -> proc.credentials(p.pid())));
        for (Candidate c : candidates) {
            if (!identity && c.pid == 0) {
                break; // without the inode nothing proves that another root holds the same file
            }
            Optional<String> key = identity ? cacheKey(f, target.get(), c.root, credentials) : Optional.empty();
            Optional<Diagnosed> d = key.flatMap(this::cached);
            if (d.isEmpty()) {
                try {
                    d = diagnoseIfSame(f, target.get(), c.root, identity, credentials);
                } catch (RootUnavailableException e) {
                    if (c.pid != 0 && !e.vanished() && proc.exists(c.pid)) {
                        return new ExplainedFailure(f, caller, kind, Optional.empty(), Optional.of(refused(c, f, e)),
                                Optional.empty(), Optional.empty());
                    }
                    continue; // the process is gone or exiting, or watch cannot see this fallback root
                }
                if (d.isPresent() && key.isPresent()) {
                    remember(key.get(), d.get());
                }
            }
            if (c.pid != 0 && !proc.exists(c.pid)) {
                continue; // the process exited while its root was being read
            }
            if (d.isPresent()) {
                return new ExplainedFailure(f, caller, kind, Optional.of(reconciled(d.get(), f)), Optional.empty(),
                        Optional.of(c.root), Optional.empty(), Optional.of(d.get().file));
            }
        }
        return new ExplainedFailure(f, caller, kind, Optional.empty(), Optional.of(caller.isEmpty()
                ? "the caller and its parent had exited, and no root reachable here holds the same file"
                : "the file was not found as the records name it in the caller's root"), Optional.empty(),
                Optional.empty());
    }

    /** The file's verdict, reconciled with what the kernel answered (ETXTBSY is not in the file). */
    private static Diagnosis reconciled(Diagnosed d, ExecFailure f) {
        return f.errno().map(e -> ObservedFailure.reconcile(d.diagnosis, e)).orElse(d.diagnosis);
    }

    /** Why a root the kernel refused ended the search, naming whose root it was. */
    private String refused(Candidate c, ExecFailure f, RootUnavailableException e) {
        String whose = c.pid == f.pid() ? "the caller's root " + e.root()
                : "the root of the caller's parent (pid " + c.pid + "), " + e.root() + ",";
        return whose + " " + access.whyUnopened(e) + "; not diagnosed in any other root";
    }

    /**
     * Who execve's permission check applied to: the caller's own credentials while it exists; otherwise, when the
     * kernel did not answer EACCES, its check passed and any execute bit suffices; for EACCES the record's effective
     * ids (supplementary groups are not in the records). Never watch's own credentials, which say nothing about
     * whether the caller may execute the file.
     */
    public static Credentials credentials(ExecFailure f, Optional<Credentials> live) {
        return live.orElseGet(f::credentialsAtExec);
    }

    /**
     * Diagnoses are remembered briefly per (root directory, path, device, inode): a crash loop or a busy
     * caller fails the same way many times a second, and the file is the same file as long as these match.
     */
    private Optional<String> cacheKey(ExecFailure f, PathItem target, String root, Credentials credentials) {
        try {
            Object rootKey = Files.readAttributes(Path.of(root), BasicFileAttributes.class).fileKey();
            return Optional.of(rootKey + "\0" + f.cwd().orElse("/") + "\0" + target.name() + "\0"
                    + target.device().orElse("") + "\0" + target.inode().getAsLong() + "\0" + credentials);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Diagnosed> cached(String key) {
        Remembered r = memory.get(key);
        return r != null && System.nanoTime() - r.atNanos < MEMORY_NANOS ? Optional.of(r.diagnosed)
                : Optional.empty();
    }

    private void remember(String key, Diagnosed d) {
        memory.put(key, new Remembered(d, System.nanoTime()));
    }

    private static final class Remembered {
        final Diagnosed diagnosed;
        final long atNanos;

        Remembered(Diagnosed diagnosed, long atNanos) {
            this.diagnosed = diagnosed;
            this.atNanos = atNanos;
        }
    }

    /** The diagnosis and the {@code file.*} facts, both read through the same pinned root. */
    private static final class Diagnosed {
        final Diagnosis diagnosis;
        final FileInfo file;

        Diagnosed(Diagnosis diagnosis, FileInfo file) {
            this.diagnosis = diagnosis;
            this.file = file;
        }
    }

    private Diagnosed diagnose(FileTree tree, String path, String cwd, Credentials credentials) {
        Diagnosis d = engine.diagnose(DiagnosisRequest.builder(path).cwd(cwd).tree(tree).credentials(credentials)
                .build());
        return new Diagnosed(d, FileInfo.describe(tree, path, cwd, hasher));
    }

    /**
     * Opens the root once (pinning it) for the identity check and the diagnosis.
     *
     * @throws RootUnavailableException when the root cannot be opened
     */
    private Optional<Diagnosed> diagnoseIfSame(ExecFailure f, PathItem target, String root, boolean identity,
            Credentials credentials) {
        try {
            return trees.with(root, tree -> identity && !SameFile.matches(f, tree) ? Optional.<Diagnosed>empty()
                    : Optional.of(diagnose(tree, target.name(), f.cwd().orElse("/"), credentials)));
        } catch (RootUnavailableException e) {
            throw e;
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
            Credentials credentials = credentials(f, Optional.empty()); // a pod process, not necessarily the caller
            Diagnosed d = trees.with(root.get(), tree -> diagnose(tree, target.get().name(), f.cwd().orElse("/"),
                    credentials));
            return new ExplainedFailure(f, caller, kind, Optional.of(reconciled(d, f)), Optional.empty(), root,
                    Optional.empty(), Optional.of(d.file));
        } catch (RootUnavailableException e) {
            return new ExplainedFailure(f, caller, kind, Optional.empty(), Optional.of("the root that holds the file, "
                    + e.root() + ", " + access.whyUnopened(e)), Optional.empty(), Optional.empty());
        } catch (RuntimeException e) {
            LOG.debug("diagnosis of {} in {} failed", target.get().name(), root.get(), e);
            return new ExplainedFailure(f, caller, kind, Optional.empty(),
                    Optional.of("diagnosis failed: " + e), root, Optional.empty());
        }
    }
}
