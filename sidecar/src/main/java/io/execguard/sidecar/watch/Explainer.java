package io.execguard.sidecar.watch;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.event.CallerKind;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.PathItem;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches a failure with what /proc says about its caller and diagnoses the target inside the caller's root - or
 * its parent's, when the short-lived child is gone. When neither exists any more the failure is still explained
 * with what the records say, and the event says why there is no diagnosis.
 */
public final class Explainer {
    private static final Logger LOG = LoggerFactory.getLogger(Explainer.class);

    private static final java.util.List<String> FALLBACK_ROOTS = java.util.List.of("/", "/proc/1/root");

    private final DiagnosisEngine engine;
    private final ProcReader proc;
    private final RootTrees trees;

    public Explainer(DiagnosisEngine engine, ProcReader proc, RootTrees trees) {
        this.engine = engine;
        this.proc = proc;
        this.trees = trees;
    }

    /**
     * Explains {@code f} in the root of its caller (or parent), as found in /proc. When both are gone, a root in
     * which the target is provably the same file (device and inode of the PATH record) is used instead: watch's
     * own root, then the host's ({@code /proc/1/root}, with hostPID).
     */
    public ExplainedFailure explain(ExecFailure f) {
        Optional<CallerProcess> caller = proc.caller(f.pid(), f.ppid());
        Optional<String> root = caller.map(CallerProcess::root);
        if (root.isEmpty()) {
            root = SameFile.findRoot(f, trees, FALLBACK_ROOTS);
        }
        return explain(f, caller, root);
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
            DiagnosisRequest req = DiagnosisRequest.builder(target.get().name()).cwd(f.cwd().orElse("/"))
                    .tree(trees.open(root.get())).build();
            Diagnosis d = engine.diagnose(req);
            return new ExplainedFailure(f, caller, kind, Optional.of(d), Optional.empty(), root,
                    Optional.empty());
        } catch (RuntimeException e) {
            LOG.debug("diagnosis of {} in {} failed", target.get().name(), root.get(), e);
            return new ExplainedFailure(f, caller, kind, Optional.empty(),
                    Optional.of("diagnosis failed: " + e), root, Optional.empty());
        }
    }
}
