package io.execguard.sidecar.audit;

import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.sidecar.audit.netlink.AuditException;
import io.execguard.sidecar.audit.netlink.AuditStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code execguard audit status}: the kernel's audit status, in {@code auditctl -s} terms. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints the kernel's audit status: whether auditing is enabled, the failure mode, the audit"
                + " daemon's pid, rate and backlog limits, records lost, the backlog and the backlog wait time.",
            "Needs CAP_AUDIT_CONTROL in the host's initial pid namespace."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:usage error",
            AuditExitCodes.NO_PRIVILEGE + ":missing CAP_AUDIT_CONTROL or not in the initial pid / user namespace",
            AuditExitCodes.UNAVAILABLE + ":no audit support in the kernel, or JNA's native library cannot be loaded",
            AuditExitCodes.REFUSED + ":the kernel did not answer"})
public final class AuditStatusCommand implements Callable<Integer> {
    private static final String[] FAILURE_MODES = {"silent", "printk", "panic"};

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (AuditClient client = AuditClient.open()) {
            print(out, client.status());
            return 0;
        } catch (AuditException e) {
            return AuditExitCodes.report(spec.commandLine().getErr(), "audit status", e);
        }
    }

    static void print(PrintWriter out, AuditStatus s) {
        out.println("enabled " + s.enabled() + (s.isLocked() ? " (locked until reboot)" : s.isEnabled() ? ""
                : " (no records are generated)"));
        out.println("failure " + s.failure() + (s.failure() >= 0 && s.failure() < FAILURE_MODES.length
                ? " (" + FAILURE_MODES[s.failure()] + ")" : ""));
        out.println("pid " + s.pid() + (s.pid() == 0 ? " (no audit daemon)" : ""));
        out.println("rate_limit " + s.rateLimit());
        out.println("backlog_limit " + s.backlogLimit());
        out.println("lost " + s.lost());
        out.println("backlog " + s.backlog());
        out.println("backlog_wait_time " + s.backlogWaitTime());
        out.println("backlog_wait_time_actual " + s.backlogWaitTimeActual());
        out.flush();
    }
}
