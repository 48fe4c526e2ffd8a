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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
                .process(process(f, arguments(e)))
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

    private static ProcessInfo process(ExecFailure f, List<String> args) {
        ProcessInfo.Builder p = ProcessInfo.builder(f.pid()).parentPid(f.ppid());
        f.exe().ifPresent(p::executable);
        f.comm().ifPresent(p::name);
        f.cwd().ifPresent(p::workingDirectory);
        if (!args.isEmpty()) {
            p.args(args).commandLine(String.join(" ", args));
        }
        return p.build();
    }

    /**
     * The caller's arguments. The kernel caches PROCTITLE in the task's audit context at its first audited event
     * and does not refresh it after a successful execve, so a process that had a failed exec audited before it
     * became what it is now (a JVM's spawn helper searching PATH, then python) reports its old title. The live
     * process's /proc cmdline is the truth while it exists; otherwise PROCTITLE is used unless its program name
     * cannot be the recorded comm.
     */
    static List<String> arguments(ExplainedFailure e) {
        Optional<CallerProcess> c = e.caller().filter(x -> !x.viaParent());
        if (c.isPresent() && !c.get().args().isEmpty()) {
            return c.get().args();
        }
        return proctitleIsCurrent(e.failure()) ? e.failure().argv() : List.of();
    }

    static boolean proctitleIsCurrent(ExecFailure f) {
        if (f.argv().isEmpty() || f.comm().isEmpty()) {
            return true;
        }
        String argv0 = f.argv().get(0);
        String base = argv0.substring(argv0.lastIndexOf('/') + 1);
        String comm = f.comm().get();
        return base.startsWith(comm) || comm.startsWith(base) || f.exe().map(x -> x.endsWith("/" + base)).orElse(false)
                || f.argv().stream().anyMatch(a -> a.endsWith("/" + comm) || a.equals(comm));
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
        if (arguments(e).isEmpty() && !f.argv().isEmpty()) {
            d.put("proctitle_stale", true);
        }
        return d.build();
    }

    /** The audit event id as in {@code msg=audit(SECONDS.MILLIS:SERIAL)}. */
    static String stamp(ExecFailure f) {
        long millis = f.epochMillis() % 1000;
        return f.epochMillis() / 1000 + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + millis + ":"
                + f.serial();
    }

    /**
     * A version-8 (custom) UUID that is a pure function of node, audit stamp and - for summaries - the count, so
     * that the same log read twice gives the same ids; cheaper than a name-based UUID, which hashes with MD5.
     */
    static String id(ExecFailure f, String stamp, ExplainedFailure e) {
        long node = f.node().map(n -> (long) n.hashCode()).orElse(0L);
        long extra = e.duplicates().map(d -> d.count() * 0x9E3779B97F4A7C15L ^ d.lastSeen().toEpochMilli()).orElse(0L);
        long hi = mix(f.epochMillis() * 31 + node);
        long lo = mix(f.serial() ^ hi ^ extra);
        hi = (hi & ~0xF000L) | 0x8000L;
        lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
