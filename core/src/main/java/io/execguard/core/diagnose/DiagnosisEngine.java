package io.execguard.core.diagnose;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.HostFileTree;
import io.execguard.core.fs.Lookup;
import io.execguard.core.platform.HostFacts;
import io.execguard.core.platform.Platform;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at a file and says, before or after the kernel refuses it, exactly why it cannot run and what to do.
 * Thread-safe; host facts are read once from /proc and /sys, never from a spawned process.
 *
 * <p>The engine replays execve: the open checks of {@code do_open_execat}, then binfmt_misc (host only), the ELF
 * loader (native and 32-bit compat, PT_INTERP loader included) and the script handler, following interpreters with
 * the kernel's limit of {@value Inspection#MAX_REWRITES} rewrites; files no handler claims are named by their format.
 * Host facts (binfmt_misc handlers, mounts, compat support, credentials) apply only to live trees judged against the
 * host's own platform. For repeated diagnoses of the same files, wrap it in a {@link CachingDiagnosisEngine}.
 */
public final class DiagnosisEngine {
    private final HostFacts facts;
    private final FileTree defaultTree;
    private final MountTables mountTables = new MountTables();

    private DiagnosisEngine(HostFacts facts, FileTree defaultTree) {
        this.facts = Objects.requireNonNull(facts, "facts");
        this.defaultTree = Objects.requireNonNull(defaultTree, "defaultTree");
    }

    /** An engine whose default tree is the host's {@code /} and default platform the host's. */
    public static DiagnosisEngine forHost() {
        return new DiagnosisEngine(HostFacts.read(), HostFileTree.root());
    }

    /** An engine with explicit host facts and default tree (tests, or a sidecar judging another machine's files). */
    public static DiagnosisEngine create(HostFacts facts, FileTree defaultTree) {
        return new DiagnosisEngine(facts, defaultTree);
    }

    /** The host facts this engine read when it was created. */
    public HostFacts hostFacts() {
        return facts;
    }

    /** The tree requests without one are diagnosed in. */
    public FileTree defaultTree() {
        return defaultTree;
    }

    /** Diagnoses one file. Never throws for anything about the file itself: every outcome is a diagnosis. */
    public Diagnosis diagnose(DiagnosisRequest request) {
        return run(request).diagnosis;
    }

    /** A diagnosis together with the files it depended on. */
    static final class Result {
        final Diagnosis diagnosis;
        final List<Inspection.Consulted> consulted;

        Result(Diagnosis diagnosis, List<Inspection.Consulted> consulted) {
            this.diagnosis = diagnosis;
            this.consulted = consulted;
        }
    }

    Result run(DiagnosisRequest request) {
        FileTree tree = request.tree().orElse(defaultTree);
        Platform platform = request.platform().orElse(facts.platform());
        Inspection in = new Inspection(tree, platform, facts, mountTables, request.cwd(), request.searchPath(),
                request.credentials());
        Verdict v = examine(in, request.path());
        List<Inspection.Consulted> consulted = in.consulted();
        if (!consulted.isEmpty()) {
            Lookup top = consulted.get(0).lookup;
            top.attributes().ifPresent(a -> v.evidence("file", fileEvidence(a)));
        }
        return new Result(v.toDiagnosis(request.path(), platform), consulted);
    }

    private static Verdict examine(Inspection in, String path) {
        try {
            return in.examine(path, 0);
        } catch (RuntimeException e) {
            // A parser bug must not take the caller down (the agent runs inside the user's JVM).
            Log.LOG.warn("execguard could not inspect {}: {}", path, e.toString(), e);
            return Verdict.of(Cause.UNKNOWN_FORMAT, path + " could not be inspected: " + e)
                    .errno(null).runnable(false)
                    .remediation("Report this to the execguard maintainers with the file, if you can share it.");
        }
    }

    /** Created on first use, so that a command line tool does not pay for logging set-up it never needs. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(DiagnosisEngine.class);
    }

    private static Evidence fileEvidence(FileAttributes a) {
        return Evidence.builder().put("type", a.type().name().toLowerCase(Locale.ROOT)).put("mode", a.modeOctal())
                .put("size", a.size()).put("uid", (long) a.uid()).put("gid", (long) a.gid()).build();
    }
}
