package io.execguard.sidecar.audit;

import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.sidecar.audit.netlink.AuditException;
import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.AuditRuleSyntax;
import io.execguard.sidecar.audit.rule.AuditRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code execguard audit rules --list|--install|--remove}: the kernel's audit rules in {@code auditctl -l} syntax, and
 * execguard's own failed-exec rules, recognised by their key.
 */
@Command(name = "rules", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the kernel's audit rules in auditctl's syntax, or installs / removes execguard's rules"
                + " for failed execve and execveat calls (one rule per ABI and exit code, tagged with a key).",
            "--install is idempotent and turns auditing on if it is off. --remove deletes only rules carrying the"
                + " key; rules of auditd or other tools are never touched.",
            "Needs CAP_AUDIT_CONTROL in the host's initial pid namespace."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:usage error",
            AuditExitCodes.NO_PRIVILEGE + ":missing CAP_AUDIT_CONTROL or not in the initial pid / user namespace",
            AuditExitCodes.UNAVAILABLE + ":no audit support in the kernel, or JNA's native library cannot be loaded",
            AuditExitCodes.REFUSED + ":the kernel refused a rule (e.g. the configuration is locked)"})
public final class AuditRulesCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true)
    private Action action = new Action();

    @Option(names = "--key", paramLabel = "KEY",
            description = "The key of execguard's rules (default: execguard). With --list: show only rules"
                    + " carrying it.")
    private String key;

    @Option(names = "--exit", split = ",", paramLabel = "ERRNO",
            description = "Exit codes to install rules for (default: ENOEXEC,ENOENT,EACCES,ELOOP,ELIBBAD,ETXTBSY).")
    private List<String> errnos = AuditRules.DEFAULT_ERRNOS;

    /** The three mutually exclusive things this command does; listing is the default. */
    static final class Action {
        @Option(names = "--list", description = "Print the rules (the default).")
        boolean list;

        @Option(names = "--install", description = "Add execguard's rules that are not there yet.")
        boolean install;

        @Option(names = "--remove", description = "Delete every rule carrying execguard's key.")
        boolean remove;
    }

    @Override
    public Integer call() throws IOException {
        List<AuditRule> wanted = List.of();
        if (action.install) {
            try {
                wanted = AuditRules.execFailures(errnos, ownKey());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        try (AuditClient client = AuditClient.open()) {
            if (action.install) {
                return install(client, wanted);
            }
            if (action.remove) {
                return remove(client);
            }
            return list(client);
        } catch (AuditException e) {
            return AuditExitCodes.report(spec.commandLine().getErr(), "audit rules", e);
        }
    }

    private String ownKey() {
        return key == null ? AuditRules.DEFAULT_KEY : key;
    }

    private int list(AuditClient client) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<AuditRule> rules = client.listRules();
        for (AuditRule rule : rules) {
            if (key == null || rule.hasKey(key)) {
                out.println(AuditRuleSyntax.format(rule));
            }
        }
        if (rules.isEmpty()) {
            out.println("No rules");
        }
        out.flush();
        return 0;
    }

    private int install(AuditClient client, List<AuditRule> wanted) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!client.status().isEnabled()) {
            client.setEnabled(true);
            err.println("execguard audit rules: auditing was disabled; enabled it (auditctl -e 1)");
        }
        int added = 0;
        for (AuditRule rule : wanted) {
            added += client.addRule(rule) ? 1 : 0;
            out.println(AuditRuleSyntax.format(rule));
        }
        out.flush();
        err.println("execguard audit rules: " + added + " rule(s) added, " + (wanted.size() - added)
                + " already present (key " + ownKey() + ")");
        err.flush();
        return 0;
    }

    private int remove(AuditClient client) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        int removed = 0;
        for (AuditRule rule : client.listRules()) {
            if (rule.hasKey(ownKey()) && client.deleteRule(rule)) {
                out.println(AuditRuleSyntax.format(rule));
                removed++;
            }
        }
        out.flush();
        spec.commandLine().getErr().println("execguard audit rules: " + removed + " rule(s) removed (key " + ownKey()
                + ")");
        spec.commandLine().getErr().flush();
        return 0;
    }
}
