package io.execguard.sidecar.watch;

import io.execguard.linux.LinuxErrno;
import io.execguard.sidecar.audit.rule.AuditArch;
import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.RuleField;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which failed execs the installed audit rules report, so that watch can say at start-up what it will see: for
 * each ABI, the exit codes of exit-filter rules on execve/execveat ({@code *} when a rule reports every failed
 * exec, e.g. {@code -F success=0} or no exit condition). Rules with other conditions (uid, path...) are counted
 * as covering their exit code; the message says so.
 */
public record ExecRuleCoverage(Map<String, Set<String>> errnosByArch) {
    /** Every failure is reported. */
    public static final String ALL = "*";

    /** Reads the coverage of {@code rules}. */
    public static ExecRuleCoverage of(List<AuditRule> rules) {
        Map<String, Set<String>> by = new TreeMap<>();
        for (AuditRule r : rules) {
            if (r.filter() != AuditRule.Filter.EXIT || r.action() != AuditRule.Action.ALWAYS || isWatch(r)) {
                continue;
            }
            for (AuditArch arch : archesOf(r)) {
                boolean exec = r.allSyscalls() || arch.syscallNumber("execve").map(r.syscalls()::contains).orElse(false)
                        || arch.syscallNumber("execveat").map(r.syscalls()::contains).orElse(false);
                if (!exec) {
                    continue;
                }
                Optional<RuleField> exit = r.fields().stream().filter(f -> f.field() == RuleField.EXIT
                        && f.operator() == RuleField.Operator.EQUAL).findFirst();
                String code = exit.map(f -> LinuxErrno.name(-f.signedValue()).orElse("errno " + -f.signedValue()))
                        .orElse(ALL);
                by.computeIfAbsent(arch.ruleName(), k -> new TreeSet<>()).add(code);
            }
        }
        return new ExecRuleCoverage(by);
    }

    /** File watches ({@code -w}) are all-syscall rules restricted to one path: they say nothing about exec. */
    private static boolean isWatch(AuditRule r) {
        return r.fields().stream().anyMatch(f -> f.field() == RuleField.PATH || f.field() == RuleField.DIR
                || f.field() == RuleField.PERM);
    }

    private static List<AuditArch> archesOf(AuditRule r) {
        return r.arch().map(List::of).orElse(List.of(AuditArch.host64(), AuditArch.host32()));
    }

    /** True when failed 64-bit execs returning {@code errno} are reported. */
    public boolean covers(String errno) {
        Set<String> s = errnosByArch.get(AuditArch.host64().ruleName());
        return s != null && (s.contains(errno) || s.contains(ALL));
    }

    /** One sentence for the start-up log. */
    public String describe() {
        if (errnosByArch.isEmpty()) {
            return "no installed audit rule reports failed execs, so watch will see none (use --install-rules,"
                    + " or add e.g. auditctl -a always,exit -F arch=b64 -S execve,execveat -F exit=-ENOEXEC -k"
                    + " execguard)";
        }
        StringBuilder sb = new StringBuilder("the installed audit rules report failed execs with ");
        boolean first = true;
        for (Map.Entry<String, Set<String>> e : errnosByArch.entrySet()) {
            sb.append(first ? "" : "; ").append(String.join(", ", e.getValue()).replace(ALL, "any error"))
                    .append(" (").append(e.getKey()).append(")");
            first = false;
        }
        return sb.toString();
    }
}
