package io.execguard.agent.hook;

import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.install.AgentLog;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The agent's side of the bootstrap bridge: what the advice in {@code ProcessImpl.start} and
 * {@code ProcessBuilder.start} calls. Guards against re-entry on the same thread and turns any failure of the agent
 * into one warning and the JDK's unchanged behaviour (fail open). The real work ({@link ExecGuard}: the engine, the
 * event pipeline) is created on first use, so a JVM that never starts a process never pays for it.
 */
public final class ExecInterceptor {
    private final AgentOptions options;
    private final ThreadLocal<int[]> depth = new Depth();
    /** Created here, on the installer thread, beside this object: the success path touches both. */
    private final TrustedCommands trusted;
    private volatile ExecGuard guard;

    public ExecInterceptor(AgentOptions options) {
        this.options = options;
        this.trusted = new TrustedCommands(options.recheck(), null);
    }

    /** The hook run before the fork: returns the exception to throw instead of starting, or null. */
    public BiFunction<String[], String, Throwable> beforeStart() {
        return new BeforeStart();
    }

    /**
     * The hook run when {@code ProcessBuilder.start} throws: explains and reports the failure. Typed {@code Object}
     * so that creating the hook on the installer thread never loads {@code ProcessBuilder} (see
     * {@code ProcessBuilderAdvice}).
     */
    public BiConsumer<Object, Throwable> afterFailure() {
        return new AfterFailure();
    }

    /** Creates the engine and resolver ahead of the first exec, off the application's threads. */
    public void warmUp() {
        guard().warmUp();
    }

    Throwable beforeStart(String[] cmdarray, String dir) {
        try {
            if (trusted.trusted(cmdarray, dir)) {
                return null; // the success path: no re-entry guard needed, see TrustedCommands
            }
        } catch (Throwable t) {
            return goAheadUnchecked(t);
        }
        int[] d = depth.get();
        if (d[0] > 0) {
            return null;
        }
        d[0]++;
        try {
            return guard().check(cmdarray, dir);
        } catch (Throwable t) {
            return goAheadUnchecked(t);
        } finally {
            d[0]--;
        }
    }

    /** Fails open: one warning, and no exception to throw, so the JDK starts the process as if we were not there. */
    private static Throwable goAheadUnchecked(Throwable t) {
        AgentLog.warn("exec check failed (" + t + "); the exec goes ahead unchecked");
        return null;
    }

    void afterFailure(Object builder, Throwable thrown) {
        int[] d = depth.get();
        if (d[0] > 0) {
            return;
        }
        d[0]++;
        try {
            guard().afterFailure((ProcessBuilder) builder, thrown);
        } catch (Throwable t) {
            AgentLog.warn("could not explain a failed exec (" + t + ")");
        } finally {
            d[0]--;
        }
    }

    private ExecGuard guard() {
        ExecGuard g = guard;
        if (g == null) {
            synchronized (this) {
                g = guard;
                if (g == null) {
                    g = ExecGuard.create(options, trusted);
                    guard = g;
                }
            }
        }
        return g;
    }

    // Named classes rather than lambdas and method references: the first lambda of a class loader costs tens of
    // milliseconds of JVM set-up, on the path to the application's first exec.

    /** Per-thread re-entry depth. */
    private static final class Depth extends ThreadLocal<int[]> {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    }

    private final class BeforeStart implements BiFunction<String[], String, Throwable> {
        @Override
        public Throwable apply(String[] cmdarray, String dir) {
            return beforeStart(cmdarray, dir);
        }
    }

    private final class AfterFailure implements BiConsumer<Object, Throwable> {
        @Override
        public void accept(Object builder, Throwable thrown) {
            afterFailure(builder, thrown);
        }
    }
}
