package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.rule.AuditRuleSyntax;
import io.execguard.sidecar.audit.rule.AuditRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecRuleCoverageTest {
    @Test
    void readsWhatTheInstalledRulesReport() {
        ExecRuleCoverage c = ExecRuleCoverage.of(List.of(
                AuditRuleSyntax.parse("-a always,exit -F arch=b64 -S execve,execveat -F exit=-ENOEXEC -k a"),
                AuditRuleSyntax.parse("-a always,exit -F arch=b64 -S execve -F exit=-EACCES -k b"),
                AuditRuleSyntax.parse("-a always,exit -F arch=b64 -S openat -F exit=-ENOENT -k c"),
                AuditRuleSyntax.parse("-w /etc/passwd -p wa -k d")));
        assertTrue(c.covers("ENOEXEC"));
        assertTrue(c.covers("EACCES"));
        assertFalse(c.covers("ENOENT"), "openat rules say nothing about exec");
        assertTrue(c.describe().contains("EACCES, ENOEXEC (b64)"), c.describe());
    }

    @Test
    void allFailuresAndNoRules() {
        assertTrue(ExecRuleCoverage.of(List.of(AuditRuleSyntax.parse("-a always,exit -F arch=b64 -S execve -k x")))
                .covers("ELOOP"));
        assertTrue(ExecRuleCoverage.of(List.of()).describe().startsWith("no installed audit rule"));
        assertTrue(ExecRuleCoverage.of(AuditRules.execFailures(AuditRules.DEFAULT_ERRNOS, "k")).covers("ETXTBSY"));
    }
}
