package io.execguard.agent.install;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's own diagnostics: one line on stderr, and only one warning in the life of the JVM, so a broken agent
 * never floods the application's output. Deliberately not a logging framework: the application's logging
 * configuration must not see the agent.
 */
public final class AgentLog {
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private AgentLog() {
    }

    /** Writes {@code execguard: MESSAGE} to stderr the first time it is called; later calls are dropped. */
    public static void warn(String message) {
        if (WARNED.compareAndSet(false, true)) {
            System.err.println("execguard: " + message);
        }
    }
}
