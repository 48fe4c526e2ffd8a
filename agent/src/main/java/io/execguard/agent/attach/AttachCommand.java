package io.execguard.agent.attach;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.config.InvalidOptionException;
import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * {@code java -jar execguard-agent.jar attach PID [OPTIONS]}: loads this agent jar into the running JVM {@code PID}
 * through the Attach API. The options are checked here first, so a typo is reported to the user rather than to the
 * target's stderr. Exit codes: 0 attached, 1 the attach failed, 2 usage error.
 *
 * <p>JDK 21 and later print a warning in the target JVM for agents loaded this way (JEP 451) unless it runs with
 * {@code -XX:+EnableDynamicAgentLoading}; {@code -javaagent} and {@code JAVA_TOOL_OPTIONS} are not affected.
 */
public final class AttachCommand {
    static final String USAGE =
            "usage: java -jar execguard-agent.jar attach PID [mode=...,output=...,explain=...,deny=...]";

    private AttachCommand() {
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3 || !"attach".equals(args[0]) || !args[1].matches("[0-9]+")) {
            err.println(USAGE);
            return 2;
        }
        String options = args.length == 3 ? args[2] : "";
        try {
            AgentOptions.parse(options, Map.of());
        } catch (InvalidOptionException e) {
            err.println("execguard: " + e.getMessage());
            return 2;
        }
        try {
            String jar = agentJar();
            VirtualMachine vm = VirtualMachine.attach(args[1]);
            try {
                vm.loadAgent(jar, options);
            } finally {
                vm.detach();
            }
            out.println("execguard: agent loaded into JVM " + args[1]);
            return 0;
        } catch (AgentLoadException e) {
            err.println("execguard: JVM " + args[1] + " refused the agent: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("execguard: cannot attach to JVM " + args[1] + ": " + e.getMessage());
            return 1;
        }
    }

    private static String agentJar() throws URISyntaxException {
        return new File(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }
}
