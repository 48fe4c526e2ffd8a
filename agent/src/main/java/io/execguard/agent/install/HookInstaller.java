package io.execguard.agent.install;

import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.hook.ExecInterceptor;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the exec hooks in place without slowing the application's start-up.
 *
 * <p>On the calling thread ({@code premain}) it only registers a {@link DeferredTransformer}. A daemon thread then
 * defines the bootstrap bridge, connects it to the {@link ExecInterceptor}, and makes the JDK load
 * {@code ProcessBuilder} and {@code ProcessImpl}, so that they are instrumented before the application needs them;
 * then it warms up the diagnosis engine. If the application execs first, its thread waits on the class-loading lock
 * (or in the transformer) until the rewriter is ready. Classes already loaded (dynamic attach) are retransformed.
 */
public final class HookInstaller {
    private HookInstaller() {
    }

    /** Installs the hooks for {@code options}; returns at once, the work continues on a daemon thread. */
    public static void install(Instrumentation instrumentation, AgentOptions options) {
        DeferredTransformer transformer = new DeferredTransformer();
        instrumentation.addTransformer(transformer, true);
        Thread thread = new Thread(new Installer(instrumentation, transformer, options), "execguard-installer");
        thread.setDaemon(true);
        thread.start();
    }

    private static void prepare(Instrumentation instrumentation, DeferredTransformer transformer,
                                AgentOptions options) {
        ExecInterceptor interceptor = new ExecInterceptor(options);
        try {
            connectBridge(instrumentation, interceptor);
            transformer.prepared(new ProcessClassRewriter(), Thread.currentThread());
            retransformLoaded(instrumentation);
            transformer.ready();
        } catch (Throwable t) {
            transformer.failed();
            instrumentation.removeTransformer(transformer);
            AgentLog.warn("could not instrument process creation (" + t + "); the agent is disabled");
            return;
        }
        try {
            // Loading (not initialising) the classes runs the transformer here rather than on the first exec;
            // only after ready(): an application thread may be loading them already, waiting for us.
            Class.forName("java.lang.ProcessBuilder", false, null);
            Class.forName("java.lang.ProcessImpl", false, null);
            // The engine and resolver next, so that the first exec finds them ready; events stay lazy.
            interceptor.warmUp();
        } catch (Throwable t) {
            AgentLog.warn("could not prepare exec checks (" + t + "); execs go ahead unchecked");
        }
    }

    /**
     * The installer thread's work. A named class rather than a lambda: the first lambda of a class loader costs the
     * JVM tens of milliseconds of set-up, which the application's start-up should not pay for us.
     */
    private static final class Installer implements Runnable {
        private final Instrumentation instrumentation;
        private final DeferredTransformer transformer;
        private final AgentOptions options;

        Installer(Instrumentation instrumentation, DeferredTransformer transformer, AgentOptions options) {
            this.instrumentation = instrumentation;
            this.transformer = transformer;
            this.options = options;
        }

        @Override
        public void run() {
            prepare(instrumentation, transformer, options);
        }
    }

    private static void connectBridge(Instrumentation instrumentation, ExecInterceptor interceptor)
            throws Exception {
        Class<?> bridge = BootstrapBridge.define(instrumentation);
        Field before = bridge.getField(BootstrapBridge.BEFORE_START);
        Field after = bridge.getField(BootstrapBridge.AFTER_FAILURE);
        before.set(null, interceptor.beforeStart());
        after.set(null, interceptor.afterFailure());
    }

    private static void retransformLoaded(Instrumentation instrumentation) throws Exception {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && DeferredTransformer.isTarget(c.getName().replace('.', '/'))) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }
}
