package io.execguard.sidecar.watch;

import io.execguard.core.diagnose.Errno;
import io.execguard.core.event.DuplicateSummary;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.ExecFailureExtractor;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The watch stage after reassembly: recognises failed execs, drops the ones that are not news (ENOENT for files
 * that do not exist - a shell's PATH search - and, in pod scope, other pods' files), hands the readiness probe's
 * own failure to the probe, explains the rest and lets the flood guard decide what is written. In pod scope a
 * failure that might lie in a pod process's root watch cannot open is not written either - it may be another
 * pod's, whose paths and command lines this pod's sidecar must not see - but counted as unattributed and named in a
 * rate-limited warning. Not thread-safe: one worker thread calls {@link #accept} and {@link #tick}.
 */
public final class FailurePipeline implements Consumer<AuditEvent> {
    private static final long WARNING_INTERVAL_MILLIS = 60_000;

    private final Explainer explainer;
    private final Optional<PodScope> podScope;
    private final Predicate<ExecFailure> probe;
    private final Consumer<ExplainedFailure> out;
    private final WatchMetrics metrics;
    private final FloodGuard<ExplainedFailure> flood;
    private final UnattributedWarnings unattributed;

    /**
     * @param probe returns true (and takes the failure) when it is watch's own readiness probe
     * @param out receives every failure to write, including flood summaries
     * @param log receives one-line warnings for the user (unattributed failures in pod scope)
     */
    public FailurePipeline(Explainer explainer, Optional<PodScope> podScope, Predicate<ExecFailure> probe,
            Duration dedupeWindow, Consumer<ExplainedFailure> out, WatchMetrics metrics, Consumer<String> log) {
        this.explainer = Objects.requireNonNull(explainer, "explainer");
        this.podScope = podScope;
        this.probe = probe;
        this.out = out;
        this.metrics = metrics;
        this.flood = new FloodGuard<>(dedupeWindow, 10_000,
                (last, count, first, lastMillis) -> out.accept(last.withDuplicates(
                        new DuplicateSummary(count, Instant.ofEpochMilli(first), Instant.ofEpochMilli(lastMillis)))));
        metrics.suppressed(flood::suppressed);
        this.unattributed = new UnattributedWarnings(log, explainer.access(), WARNING_INTERVAL_MILLIS);
    }

    @Override
    public void accept(AuditEvent event) {
        Optional<ExecFailure> failure = ExecFailureExtractor.from(event);
        if (failure.isEmpty()) {
            return;
        }
        ExecFailure f = failure.get();
        if (probe.test(f)) {
            return;
        }
        if (f.errno().equals(Optional.of(Errno.ENOENT)) && !f.target().map(t -> t.exists()).orElse(false)) {
            metrics.failureIgnored(); // PATH search noise: the file itself does not exist
            return;
        }
        ExplainedFailure e;
        if (podScope.isPresent()) {
            PodScope.Location where = podScope.get().locate(f);
            if (where.unattributed()) {
                metrics.failureUnattributed();
                unattributed.report(where, f.epochMillis());
                return;
            }
            if (where.process().isEmpty()) {
                metrics.failureIgnored(); // another pod's file
                return;
            }
            e = explainer.explain(f, where.process(), where.process().map(CallerProcess::root));
        } else {
            e = explainer.explain(f);
        }
        metrics.failureReported(e.causeLabel(), f.errorCode());
        if (flood.admit(floodKey(e), e, f.epochMillis())) {
            out.accept(e);
        }
    }

    /** Closes flood windows that have ended; call about once a second. */
    public void tick(long nowMillis) {
        flood.expire(nowMillis);
    }

    /** Summarises what the flood guard still holds (on shutdown). */
    public void flush() {
        flood.flush();
    }

    private static Object floodKey(ExplainedFailure e) {
        return List.of(e.container().flatMap(c -> c.containerId()).orElse(""), e.failure().absoluteTarget().orElse(""), e.causeLabel(),
                e.failure().errorCode());
    }
}
