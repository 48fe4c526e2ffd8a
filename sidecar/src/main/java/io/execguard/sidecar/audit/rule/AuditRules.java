package io.execguard.sidecar.audit.rule;

import io.execguard.linux.LinuxErrno;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules execguard installs: one per ABI and exit code, each matching failed {@code execve}/{@code execveat}
 * calls, equivalent to {@code auditctl -a always,exit -F arch=b64 -S execve,execveat -F exit=-ENOEXEC -k KEY}.
 * A rule can compare one exit value only, hence one rule per code.
 */
public final class AuditRules {
    /** The key execguard's rules carry unless told otherwise. */
    public static final String DEFAULT_KEY = "execguard";
    /** The exec failures worth explaining: format, missing file or interpreter, permission, loops, libs, busy. */
    public static final List<String> DEFAULT_ERRNOS = List.of("ENOEXEC", "ENOENT", "EACCES", "ELOOP", "ELIBBAD",
            "ETXTBSY");

    private AuditRules() {
    }

    /**
     * The rule for failed execs of {@code arch} returning {@code errnoName}, tagged {@code key}.
     *
     * @throws IllegalArgumentException for an unknown errno name or an empty key
     */
    public static AuditRule execFailure(AuditArch arch, String errnoName, String key) {
        int errno = LinuxErrno.number(errnoName)
                .orElseThrow(() -> new IllegalArgumentException("unknown errno name " + errnoName));
        if (key.isEmpty() || key.indexOf(AuditRule.KEY_SEPARATOR) >= 0) {
            throw new IllegalArgumentException("a rule key must be non-empty text");
        }
        Set<Integer> syscalls = new TreeSet<>(List.of(arch.syscallNumber("execve").orElseThrow(),
                arch.syscallNumber("execveat").orElseThrow()));
        return new AuditRule(AuditRule.Filter.EXIT, AuditRule.Action.ALWAYS, false, new TreeSet<>(syscalls), List.of(
                RuleField.numeric(RuleField.ARCH, RuleField.Operator.EQUAL, arch.auditValue()),
                RuleField.numeric(RuleField.EXIT, RuleField.Operator.EQUAL, -errno),
                RuleField.string(RuleField.KEY, RuleField.Operator.EQUAL, key)));
    }

    /** The rules for both of this host's ABIs (64-bit first) and every errno in {@code errnoNames}. */
    public static List<AuditRule> execFailures(List<String> errnoNames, String key) {
        List<AuditRule> rules = new ArrayList<>();
        for (AuditArch arch : List.of(AuditArch.host64(), AuditArch.host32())) {
            for (String errno : errnoNames) {
                rules.add(execFailure(arch, errno, key));
            }
        }
        return rules;
    }
}
