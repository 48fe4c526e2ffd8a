package io.execguard.sidecar.audit;

import io.execguard.sidecar.audit.read.AuditReadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code execguard audit ...}: the kernel audit subsystem as execguard uses it. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Shows and changes the kernel audit configuration execguard relies on, and converts audit logs"
                + " into execguard events.",
        subcommands = {AuditStatusCommand.class, AuditRulesCommand.class, AuditReadCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "2:usage error",
            AuditExitCodes.NO_PRIVILEGE + ":missing privilege: CAP_AUDIT_CONTROL / CAP_AUDIT_READ, or not in the host's"
                + " initial pid / user namespace",
            AuditExitCodes.UNAVAILABLE + ":no audit support in the kernel, or JNA's native library cannot be loaded",
            AuditExitCodes.REFUSED + ":the kernel refused the request (locked configuration, invalid rule, no answer)"
        })
public final class AuditCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Without a sub-command: a usage error naming the choices. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
