package io.execguard.agent;

import io.execguard.agent.attach.AttachCommand;
import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.config.InvalidOptionException;
import io.execguard.agent.install.HookInstaller;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code premain} for {@code -javaagent} and {@code JAVA_TOOL_OPTIONS}, {@code agentmain}
 * for a dynamic attach, and {@code main} for {@code java -jar execguard-agent.jar attach PID}.
 *
 * <p>This class runs on the application's main thread before {@code main}, so it does as little as possible: it
 * parses the options and hands over to {@link HookInstaller}, which defers everything expensive (Byte Buddy, JSON,
 * the diagnosis engine) to a background thread or to the first exec that needs it.
 */
public final class ExecGuardAgent {
    private static volatile boolean installed;

    private ExecGuardAgent() {
    }

    /** Called by the JVM for {@code -javaagent:execguard-agent.jar[=options]}. */
    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation);
    }

    /** Called by the JVM when the agent is loaded into a running JVM. */
    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation);
    }

    /** {@code java -jar execguard-agent.jar attach PID [options]}. */
    public static void main(String[] args) {
        System.exit(AttachCommand.run(args, System.out, System.err));
    }

    private static void start(String args, Instrumentation instrumentation) {
        // The agent must never break the app: every failure here ends in one line on stderr and no agent.
        try {
            synchronized (ExecGuardAgent.class) {
                if (installed) {
                    System.err.println("execguard: agent already active in this JVM; ignoring the second load");
                    return;
                }
                AgentOptions options = AgentOptions.parse(args, System.getenv());
                HookInstaller.install(instrumentation, options);
                installed = true;
            }
        } catch (InvalidOptionException e) {
            System.err.println("execguard: " + e.getMessage() + "; the agent is disabled");
        } catch (Throwable t) {
            System.err.println("execguard: could not start (" + t + "); the agent is disabled");
        }
    }
}
