package io.execguard.sidecar.watch;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.sidecar.audit.exec.ExecFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed exec ready to be written: the audit facts, what /proc said about the caller, the diagnosis of the
 * target inside the caller's root (or why there is none), the caller kind, and - for flood summaries - how many
 * identical failures the event stands for.
 */
public record ExplainedFailure(ExecFailure failure, Optional<CallerProcess> caller, CallerKind callerKind,
        Optional<Diagnosis> diagnosis, Optional<String> diagnosisSkipped, Optional<String> root,
        List<String> redactedArgs, Optional<Repeat> repeat) {
    public ExplainedFailure {
        Objects.requireNonNull(failure, "failure");
        redactedArgs = List.copyOf(redactedArgs);
    }

    /** Identical failures counted instead of emitted, summarised by this event. */
    public record Repeat(long count, long firstMillis, long lastMillis) {
    }

    /** The same failure standing for {@code repeat} suppressed repeats. */
    public ExplainedFailure withRepeat(Repeat r) {
        return new ExplainedFailure(failure, caller, callerKind, diagnosis, diagnosisSkipped, root, redactedArgs,
                Optional.of(r));
    }

    /** The container id from /proc, when the caller or its parent could still be read. */
    public Optional<String> containerId() {
        return caller.flatMap(CallerProcess::containerId);
    }

    /** The cause name for metrics and flood keys: the diagnosis's, or the errno when there is no diagnosis. */
    public String causeLabel() {
        return diagnosis.map(d -> d.cause().name()).orElse("UNDIAGNOSED");
    }
}
