package io.execguard.agent.install;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A class file transformer that looks only at {@code java/lang/ProcessImpl} and {@code java/lang/ProcessBuilder}
 * and hands them to a {@link ClassRewriter} once one is ready. Registered in {@code premain} before any process
 * class can load, so the hook is in place before the first exec, whenever it comes; the rewriter itself is built on
 * a background thread. A thread that loads a process class before then waits for it (bounded), which delays only
 * an exec that races the agent's start-up.
 */
final class DeferredTransformer implements ClassFileTransformer {
    static final String PROCESS_IMPL = "java/lang/ProcessImpl";
    static final String PROCESS_BUILDER = "java/lang/ProcessBuilder";
    /** How long a racing exec waits for the rewriter before the agent gives up on that class (fail open). */
    private static final long READY_TIMEOUT_SECONDS = 20;

    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile ClassRewriter rewriter;
    private volatile Thread installer;

    /**
     * Makes the rewriter available to the installer thread only, which uses it to retransform classes that were
     * loaded before this transformer was registered (on JDK 25, reading the environment in {@code premain} loads
     * {@code ProcessImpl}).
     */
    void prepared(ClassRewriter rewriter, Thread installer) {
        this.rewriter = rewriter;
        this.installer = installer;
    }

    /**
     * Lets every other thread through: called by the installer once already-loaded classes are instrumented, so an
     * application thread can never run an uninstrumented {@code ProcessImpl.start} after it passed here.
     */
    void ready() {
        ready.countDown();
    }

    /** Gives up: classes load unchanged from now on. */
    void failed() {
        rewriter = null;
        ready.countDown();
    }

    static boolean isTarget(String internalName) {
        return PROCESS_IMPL.equals(internalName) || PROCESS_BUILDER.equals(internalName);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (loader != null || !isTarget(className)) {
            return null;
        }
        try {
            if (Thread.currentThread() != installer && !ready.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                AgentLog.warn("instrumentation was not ready in time; " + className + " is left unchanged");
                return null;
            }
            ClassRewriter r = rewriter;
            return r == null ? null : r.rewrite(className, classFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Throwable t) {
            AgentLog.warn("could not instrument " + className + " (" + t + "); exec is not guarded");
            return null;
        }
    }
}
