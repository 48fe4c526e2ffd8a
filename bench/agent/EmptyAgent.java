import java.lang.instrument.Instrumentation;

/**
 * A Java agent that does nothing: the floor any {@code -javaagent} pays (the instrument library, the agent jar
 * opened, a premain called). {@code bench/agent-vs-otel.sh} measures it beside execguard's agent and the
 * OpenTelemetry agent so that what execguard itself adds can be told apart from what having an agent costs.
 */
public final class EmptyAgent {
    private EmptyAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        // nothing
    }
}
