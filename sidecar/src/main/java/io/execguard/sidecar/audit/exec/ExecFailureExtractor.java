package io.execguard.sidecar.audit.exec;

import io.execguard.core.diagnose.Errno;
import io.execguard.sidecar.audit.parse.AuditRecord;
import io.execguard.sidecar.audit.parse.AuditValues;
import io.execguard.sidecar.audit.parse.RecordType;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Recognises a failed exec in a reassembled audit event and turns its records into an {@link ExecFailure}: the
 * SYSCALL record (arch, syscall, exit, ids, comm, exe, key), CWD, the PATH items and PROCTITLE. Events of other
 * syscalls, successful execs and exits that are not errors are not failures.
 */
public final class ExecFailureExtractor {
    private static final byte[] SUCCESS_NO = AuditValues.ascii(" success=no ");
    private ExecFailureExtractor() {
    }

    /** The failure in {@code event}, or empty when it is not a failed exec. */
    public static Optional<ExecFailure> from(AuditEvent event) {
        Optional<AuditRecord> sc = event.first(RecordType.SYSCALL);
        if (sc.isEmpty()) {
            return Optional.empty();
        }
        AuditRecord s = sc.get();
        if (!s.rawEquals("success", "no")) {
            return Optional.empty();
        }
        Optional<ExecSyscalls> arch = ExecSyscalls.ofAuditArch(s.number("arch", 16, -1));
        if (arch.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> name = arch.get().execName((int) s.number("syscall", 10, -1));
        long exit = s.number("exit", 10, 0);
        if (name.isEmpty() || exit >= 0) {
            return Optional.empty();
        }
        Optional<String> cwd = event.first(RecordType.CWD).flatMap(r -> r.field("cwd"));
        List<String> argv = event.first(RecordType.PROCTITLE).flatMap(r -> r.fieldBytes("proctitle"))
                .map(AuditValues::argv).orElse(Collections.emptyList());
        return Optional.of(new ExecFailure(event.epochMillis(), event.serial(), s.node(), arch.get(), name.get(),
                (int) exit, Errno.ofNumber((int) -exit), (int) s.number("pid", 10, -1),
                (int) s.number("ppid", 10, -1), s.number("uid", 10, -1), s.number("euid", 10, -1),
                s.number("gid", 10, -1), s.number("egid", 10, -1), s.number("auid", 10, ExecFailure.UNSET_ID), s.field("comm"),
                s.field("exe"), cwd, paths(event), argv, keys(s), event.complete()));
    }

    /** Whether {@code event}'s SYSCALL record looks like a failed exec, without building anything. */
    public static boolean isFailedExec(AuditRecord syscall) {
        if (syscall.type() != RecordType.SYSCALL || !syscall.rawContains(SUCCESS_NO)
                || !syscall.rawEquals("success", "no")) {
            return false;
        }
        Optional<ExecSyscalls> arch = ExecSyscalls.ofAuditArch(syscall.number("arch", 16, -1));
        return arch.isPresent() && arch.get().execName((int) syscall.number("syscall", 10, -1)).isPresent();
    }

    private static List<PathItem> paths(AuditEvent event) {
        List<PathItem> items = new ArrayList<>(2);
        for (AuditRecord p : event.all(RecordType.PATH)) {
            long inode = p.number("inode", 10, -1);
            items.add(new PathItem((int) p.number("item", 10, items.size()), p.field("name").orElse(""),
                    inode < 0 ? OptionalLong.empty() : OptionalLong.of(inode), p.field("dev"), p.field("mode"),
                    p.field("nametype")));
        }
        return items;
    }

    /** auditctl joins several keys of one rule with 0x01; the kernel then hex-encodes the field. */
    private static List<String> keys(AuditRecord s) {
        Optional<String> key = s.field("key");
        if (key.isEmpty()) {
            return Collections.emptyList();
        }
        String all = key.get();
        List<String> keys = new ArrayList<>(1);
        for (int from = 0, to; from <= all.length(); from = to + 1) {
            to = all.indexOf('\u0001', from);
            if (to < 0) {
                to = all.length();
            }
            if (to > from) {
                keys.add(all.substring(from, to));
            }
        }
        return keys;
    }
}
