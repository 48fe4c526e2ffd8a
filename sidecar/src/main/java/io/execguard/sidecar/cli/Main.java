package io.execguard.sidecar.cli;

import io.execguard.sidecar.audit.AuditCommand;
import io.execguard.sidecar.explain.ExplainCommand;
import io.execguard.sidecar.scan.ScanCommand;
import io.execguard.sidecar.watch.WatchCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code execguard} program: the top-level command that holds every sub-command. Each sub-command is its own
 * class in its feature package; add yours to {@link #SUBCOMMANDS}.
 */
@Command(name = "execguard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds, explains and guards against failed execs (\"exec format error\") in JVMs and containers.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (see each command)",
            "1:the command found a problem (see each command)",
            "2:usage error"
        })
public final class Main implements Runnable {
    /** The sub-commands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ExplainCommand.class, AuditCommand.class,
            WatchCommand.class, ScanCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, without exiting (tests). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The configured command line with every sub-command: one-sentence usage errors with exit code 2. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for {@code args}: when they start with a sub-command's name, only that sub-command is set up
     * - picocli reads every option of every command it is given by reflection, which is a good part of the start-up
     * of a short command such as {@code audit read} or {@code explain}. Help and usage errors at the top level see
     * them all.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        boolean one = SUBCOMMANDS.stream()
                .anyMatch(c -> c != CommandLine.HelpCommand.class && nameOf(c).equals(first));
        for (Class<?> c : SUBCOMMANDS) {
            if (!one || nameOf(c).equals(first)) {
                cl.addSubcommand(c);
            }
        }
        // Output is UTF-8 whatever the locale: JSON lines must be (RFC 8259), and paths are bytes, not ASCII.
        cl.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("execguard " + commandLine.getCommandName() + ": " + message(e));
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        return cl;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("execguard: " + e.getMessage());
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** Without a sub-command: print the usage and fail as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"execguard " + (v == null ? "(development build)" : v)};
        }
    }
}
