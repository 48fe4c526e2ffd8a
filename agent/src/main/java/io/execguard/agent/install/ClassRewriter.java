package io.execguard.agent.install;

/**
 * Rewrites the class file of one of the JDK's process classes. Implemented with Byte Buddy by
 * {@link ProcessClassRewriter}; kept as an interface so that {@link DeferredTransformer}, which runs on the
 * application's main thread from {@code premain} on, loads no Byte Buddy class.
 */
interface ClassRewriter {
    /** The instrumented class file, or null to leave the class as it is. */
    byte[] rewrite(String internalName, byte[] classFile);
}
