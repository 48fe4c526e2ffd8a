package io.execguard.linux;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads the libc bindings at the public entry points, so that a missing JNA native library becomes a checked
 * {@link NativeUnavailableException} with the fix in its message, not an Error from deep inside the first call.
 */
final class NativeLoader {
    /** JNA's java.util.logging logger; held strongly so the level set below is not lost to garbage collection. */
    private static final Logger JNA_LOG = Logger.getLogger("com.sun.jna.Native");

    private NativeLoader() {
    }

    static void ensureLoaded() throws NativeUnavailableException {
        // While loading, JNA logs a WARNING with a stack trace when its temporary directory is unusable; the
        // exception below says the same in one sentence, with the fix.
        Level before = JNA_LOG.getLevel();
        JNA_LOG.setLevel(Level.SEVERE);
        try {
            LibC.load();
        } catch (LinkageError e) {
            // UnsatisfiedLinkError on the first attempt, NoClassDefFoundError on every later one.
            throw new NativeUnavailableException(e);
        } finally {
            JNA_LOG.setLevel(before);
        }
    }
}
