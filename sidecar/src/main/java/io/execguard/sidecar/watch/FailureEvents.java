package io.execguard.sidecar.watch;

import io.execguard.core.context.HostInfo;
import io.execguard.core.context.UserIds;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.event.EventAction;
import io.execguard.core.event.EventDataset;
import io.execguard.core.event.EventSource;
import io.execguard.core.event.ExecEvent;
import io.execguard.core.event.FileInfo;
import io.execguard.core.event.ProcessInfo;
import io.execguard.sidecar.audit.exec.ExecFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Turns an {@link ExplainedFailure} into the shared {@link ExecEvent}: {@code process.*} is the caller as audit
 * saw it at the exec, {@code file.path} the target made absolute, {@code event.id} a stable id derived from the
 * audit stamp (re-reading a log gives the same ids), and audit facts that have no ECS field go to
 * {@code execguard.details}.
 */
public final class FailureEvents {
    private FailureEvents() {
    }

    /**
     * @param sourceType {@link EventSource#AUDIT_NETLINK} or {@link EventSource#AUDIT_LOG}
     */
    public static ExecEvent toEvent(ExplainedFailure e, String sourceType) {
        ExecFailure f = e.failure();
        String stamp = stamp(f);
        ExecEvent.Builder b = ExecEvent.builder(EventAction.EXEC_FAILED, EventDataset.SIDECAR)
                .id(id(f, stamp, e))
                .timestamp(Instant.ofEpochMilli(f.epochMillis()))
                .process(process(f))
                .error(f.errorCode(), f.errno().map(x -> x.message()).orElse("exec failed"))
                .user(new UserIds(f.uid(), f.euid(), f.gid(), f.egid()))
                .source(EventSource.audit(sourceType, stamp))
                .callerKind(e.callerKind())
                .details(details(e, f));
        f.absoluteTarget().or(() -> f.target().map(t -> t.name())).ifPresent(p -> b.file(FileInfo.of(p)));
        f.node().ifPresent(n -> b.host(new HostInfo(n, null, null)));
        e.container().ifPresent(b::container);
        e.caller().filter(c -> !c.viaParent()).flatMap(CallerProcess::security).ifPresent(b::security);
        e.diagnosis().ifPresent(b::diagnosis);
        e.duplicates().ifPresent(b::duplicates);
        if (e.diagnosis().isEmpty()) {
            b.message("exec of " + f.absoluteTarget().orElse("a file") + " failed with " + f.errorCode()
                    + e.diagnosisSkipped().map(r -> "; not diagnosed: " + r).orElse(""));
        }
        return b.build();
    }

    private static ProcessInfo process(ExecFailure f) {
        ProcessInfo.Builder p = ProcessInfo.builder(f.pid()).parentPid(f.ppid());
        f.exe().ifPresent(p::executable);
        f.comm().ifPresent(p::name);
        f.cwd().ifPresent(p::workingDirectory);
        if (!f.argv().isEmpty()) {
            p.args(f.argv()).commandLine(String.join(" ", f.argv()));
        }
        return p.build();
    }

    private static Evidence details(ExplainedFailure e, ExecFailure f) {
        Evidence.Builder audit = Evidence.builder().put("syscall", f.syscall()).put("arch", f.arch().bits())
                .put("serial", f.serial()).put("complete", f.complete());
        if (!f.keys().isEmpty()) {
            audit.put("keys", f.keys());
        }
        f.loginUid().ifPresent(u -> audit.put("login_uid", u));
        f.target().flatMap(t -> t.device()).ifPresent(v -> audit.put("device", v));
        f.target().filter(t -> t.inode().isPresent()).ifPresent(t -> audit.put("inode", t.inode().getAsLong()));
        Evidence.Builder caller = Evidence.builder()
                .put("falls_back_to_shell", CallerClassifier.fallsBackToShell(e.callerKind()));
        e.caller().ifPresent(c -> caller.put("seen_via_parent", c.viaParent()));
        e.caller().flatMap(CallerProcess::parentExe).ifPresent(x -> caller.put("parent_executable", x));
        Evidence.Builder d = Evidence.builder().put("audit", audit.build()).put("caller", caller.build());
        e.root().ifPresent(r -> d.put("root", r));
        e.diagnosisSkipped().ifPresent(r -> d.put("diagnosis_skipped", r));
        return d.build();
    }

    /** The audit event id as in {@code msg=audit(SECONDS.MILLIS:SERIAL)}. */
    static String stamp(ExecFailure f) {
        long millis = f.epochMillis() % 1000;
        return f.epochMillis() / 1000 + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + millis + ":"
                + f.serial();
    }

    private static String id(ExecFailure f, String stamp, ExplainedFailure e) {
        String name = f.node().orElse("") + "/" + stamp
                + e.duplicates().map(d -> "/x" + d.count() + "/" + d.lastSeen().toEpochMilli()).orElse("");
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
