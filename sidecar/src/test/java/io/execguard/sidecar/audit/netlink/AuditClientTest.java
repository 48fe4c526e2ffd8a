package io.execguard.sidecar.audit.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.AuditRuleSyntax;
import io.execguard.sidecar.audit.rule.AuditRules;
import io.execguard.sidecar.testing.Command;
import io.execguard.core.testing.Privileges;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit client against the real kernel, with auditctl as the referee: what one installs the other lists
 * identically, byte for byte. Each test uses its own key and removes only the rules carrying it.
 */
class AuditClientTest {
    private final String key = "execguard-test-" + UUID.randomUUID().toString().substring(0, 8);
    private AuditClient client;

    @BeforeEach
    void open() throws Exception {
        Privileges.requireRoot();
        Privileges.requireCommand("auditctl");
        client = AuditClient.open();
    }

    @AfterEach
    void removeOwnRules() throws Exception {
        if (client == null) {
            return;
        }
        try {
            for (AuditRule rule : client.listRules()) {
                if (rule.hasKey(key)) {
                    client.deleteRule(rule);
                }
            }
        } finally {
            client.close();
            Command.run(List.of("auditctl", "-D", "-k", key));
        }
        assertEquals(List.of(), auditctlLines(), "rules with key " + key + " left behind");
    }

    @Test
    void statusAgreesWithAuditctl() throws Exception {
        AuditStatus status = client.status();
        String s = Command.check("auditctl", "-s");
        assertTrue(s.contains("enabled " + status.enabled() + "\n"), s);
        assertTrue(s.contains("failure " + status.failure() + "\n"), s);
        assertTrue(s.contains("backlog_limit " + status.backlogLimit() + "\n"), s);
        assertTrue(s.contains("rate_limit " + status.rateLimit() + "\n"), s);
        assertTrue(s.contains("backlog_wait_time " + status.backlogWaitTime() + "\n"), s);
    }

    @Test
    void rulesInstalledByExecguardAreListedIdenticallyByAuditctl() throws Exception {
        List<AuditRule> rules = AuditRules.execFailures(AuditRules.DEFAULT_ERRNOS, key);
        for (AuditRule rule : rules) {
            assertTrue(client.addRule(rule), "added " + rule);
        }
        List<String> ours = rules.stream().map(AuditRuleSyntax::format).collect(Collectors.toList());
        assertEquals(ours, auditctlLines());
        assertEquals(ours, execguardLines());
    }

    @Test
    void addingAnExistingRuleReportsPresentAndDeletingAMissingOneReportsAbsent() throws Exception {
        AuditRule rule = AuditRules.execFailures(List.of("ENOEXEC"), key).get(0);
        assertTrue(client.addRule(rule));
        assertFalse(client.addRule(rule), "EEXIST is 'already present'");
        assertEquals(1, auditctlLines().size());
        assertTrue(client.deleteRule(rule));
        assertFalse(client.deleteRule(rule), "ENOENT is 'already gone'");
        assertEquals(List.of(), auditctlLines());
    }

    @Test
    void rulesAddedWithAuditctlAreListedIdenticallyByExecguard() throws Exception {
        List<List<String>> commands = List.of(
                List.of("-a", "always,exit", "-F", "arch=b64", "-S", "execveat,execve", "-F", "exit=-ENOEXEC", "-k",
                        key),
                List.of("-a", "exit,always", "-F", "arch=b32", "-S", "execve", "-F", "exit=-EACCES", "-F",
                        "success=0", "-k", key, "-k", "second"),
                List.of("-a", "always,exit", "-F", "arch=b64", "-S", "open,openat,socket", "-F", "a0=10",
                        "-F", "a1!=2", "-F", "auid>=1000", "-F", "auid!=unset", "-F", "exit=-999", "-F", "dir=/tmp",
                        "-F", "perm=wa", "-k", key),
                List.of("-a", "never,exit", "-F", "arch=b64", "-S", "all", "-F", "uid=0", "-F", "exe=/usr/bin/ls",
                        "-k", key),
                List.of("-a", "always,exit", "-F", "arch=b64", "-S", "execve", "-C", "uid!=euid", "-F", "auid>=1000",
                        "-k", key),
                List.of("-w", "/etc/hostname", "-p", "wa", "-k", key));
        for (List<String> args : commands) {
            String[] argv = new String[args.size() + 1];
            argv[0] = "auditctl";
            for (int i = 0; i < args.size(); i++) {
                argv[i + 1] = args.get(i);
            }
            Command.check(argv);
        }
        List<String> theirs = auditctlLines();
        assertEquals(commands.size(), theirs.size(), theirs.toString());
        assertEquals(theirs, execguardLines());
        for (String line : theirs) {
            assertEquals(line, AuditRuleSyntax.format(AuditRuleSyntax.parse(line)), "parse(format) round trip");
        }
    }

    private List<String> execguardLines() throws Exception {
        return client.listRules().stream().filter(r -> r.hasKey(key)).map(AuditRuleSyntax::format)
                .collect(Collectors.toList());
    }

    private List<String> auditctlLines() throws Exception {
        return Arrays.stream(Command.check("auditctl", "-l").split("\n"))
                .filter(l -> l.contains("key=" + key) || l.endsWith("-k " + key) || l.contains("-k " + key + " "))
                .collect(Collectors.toList());
    }
}
