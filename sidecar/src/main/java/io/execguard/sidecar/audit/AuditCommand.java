package io.execguard.sidecar.audit;

import io.execguard.sidecar.audit.read.AuditReadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code execguard audit ...}: the Linux audit subsystem as execguard uses it. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Work with the Linux audit subsystem: convert audit logs into execguard events.",
        subcommands = {AuditReadCommand.class})
public final class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a sub-command: a usage error naming the choices. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
