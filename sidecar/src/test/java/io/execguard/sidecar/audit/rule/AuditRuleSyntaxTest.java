package io.execguard.sidecar.audit.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules in auditctl's syntax; the lines below were printed by {@code auditctl -l} (audit 3.0.9, Linux 6.18). */
class AuditRuleSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "-a always,exit -F arch=b64 -S execve,execveat -F exit=-ENOEXEC -F key=execguard",
        "-a always,exit -F arch=b32 -S execve,execveat -F exit=-ELIBBAD -F key=execguard",
        "-a always,exit -F arch=b32 -S execve -F exit=-EACCES -F success=0 -F key=k -F key=second",
        "-a always,exit -F arch=b64 -S open,socket,openat -F a0=0xA -F a1!=0x2 -F auid>=1000 -F auid!=-1"
            + " -F exit=-999 -F dir=/tmp -F perm=wa -F key=k",
        "-a never,exit -F arch=b64 -S all -F uid=0 -F exe=/usr/bin/ls -F key=k",
        "-a always,exit -F arch=b32 -S socketcall -F a0&0x10 -F key=k",
        "-a always,exit -F arch=b64 -S execve -F path=/bin/ls -F perm=x -F key=k",
        "-a always,exclude -F msgtype=CWD",
        "-a always,exclude -F msgtype=AVC -F uid=5",
        "-a always,exit -F arch=b64 -S connect -F saddr_fam=2 -F pers=0 -F devminor=1 -F key=k",
        "-a always,exit -F arch=b32 -S open -F a2&=0x40 -F a3=0xFFFFFFFF -F key=k",
        "-a always,exit -F arch=b64 -S execve -F exe=/usr/bin/p -F obj_gid=0 -F gid!=0 -F egid=1 -F ppid=1 -F pid=1"
            + " -F key=k",
        "-a always,exit -F arch=b64 -S execve -C uid!=euid -F key=k",
        "-a always,exit -F arch=b64 -S execve -C auid=obj_uid -F key=k",
        "-w /etc/hostname -p wa -k k"})
    void auditctlListingsRoundTrip(String line) {
        AuditRule rule = AuditRuleSyntax.parse(line);
        assertEquals(line, AuditRuleSyntax.format(rule));
        assertEquals(rule, AuditRuleCodec.decode(java.nio.ByteBuffer.wrap(AuditRuleCodec.encode(rule))));
    }

    @Test
    void execguardRuleMatchesTheDocumentedAuditctlCommand() {
        AuditRule ours = AuditRules.execFailure(AuditArch.X86_64, "ENOEXEC", "execguard");
        AuditRule theirs = AuditRuleSyntax.parse(
                "-a always,exit -F arch=b64 -S execve,execveat -F exit=-ENOEXEC -k execguard");
        assertEquals(theirs, ours);
        assertEquals(List.of("execguard"), ours.keys());
        assertTrue(ours.hasKey("execguard"));
        assertFalse(ours.hasKey("execguar"));
    }

    @Test
    void severalKeysAreOneField() {
        AuditRule rule = AuditRuleSyntax.parse("-a always,exit -F arch=b64 -S execve -k a -k b");
        assertEquals(List.of("a", "b"), rule.keys());
        assertEquals(2, rule.fields().size(), "arch and one key field holding a\\001b");
    }

    @Test
    void standardSetCoversBothAbisAndEveryErrno() {
        List<AuditRule> rules = AuditRules.execFailures(AuditRules.DEFAULT_ERRNOS, "execguard");
        assertEquals(12, rules.size());
        assertEquals(6, rules.stream().filter(r -> r.arch().orElseThrow() == AuditArch.host32()).count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a always", "-a sometimes,exit", "-a always,exit -F nosuchfield=1",
        "-a always,exit -F arch=b64 -S nosuchcall", "-a always,exit -F exit=-ENOTANERRNO", "-x y",
        "-a always,exit -F uid", "-w /x -p rwz", "-a always,exit -F arch=sparc"})
    void malformedRulesAreRejectedWithAReason(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditRuleSyntax.parse(line));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void unknownErrnoNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AuditRules.execFailure(AuditArch.X86_64, "EWHAT", "k"));
        assertThrows(IllegalArgumentException.class, () -> AuditRules.execFailure(AuditArch.X86_64, "ENOEXEC", ""));
    }
}
