package io.execguard.sidecar.watch;

import io.execguard.core.context.ContainerIdentity;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.event.CallerKind;
import io.execguard.core.event.DuplicateSummary;
import io.execguard.sidecar.audit.exec.ExecFailure;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed exec ready to be written: the audit facts, what /proc said about the caller, the diagnosis of the
 * target inside the caller's root (or why there is none), the caller kind, and - for flood summaries - how many
 * identical failures the event stands for.
 */
public record ExplainedFailure(ExecFailure failure, Optional<CallerProcess> caller, CallerKind callerKind,
        Optional<Diagnosis> diagnosis, Optional<String> diagnosisSkipped, Optional<String> root,
        Optional<DuplicateSummary> duplicates) {
    public ExplainedFailure {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(callerKind, "callerKind");
    }

    /** The same failure standing for a summary of suppressed repeats. */
    public ExplainedFailure withDuplicates(DuplicateSummary d) {
        return new ExplainedFailure(failure, caller, callerKind, diagnosis, diagnosisSkipped, root, Optional.of(d));
    }

    /** The container from /proc, when the caller or its parent could still be read. */
    public Optional<ContainerIdentity> container() {
        return caller.flatMap(CallerProcess::container);
    }

    /** The cause name for metrics and flood keys: the diagnosis's, or UNDIAGNOSED. */
    public String causeLabel() {
        return diagnosis.map(d -> d.cause().name()).orElse("UNDIAGNOSED");
    }
}
