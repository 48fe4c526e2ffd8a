package io.execguard.linux;

import java.io.IOException;

/**
 * JNA's native library could not be loaded, so no native call can work. The message says how to fix the usual cause:
 * a read-only or noexec temporary directory where JNA wanted to unpack its library.
 */
public final class NativeUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    NativeUnavailableException(LinkageError cause) {
        super("JNA's native library cannot be loaded (" + cause.getMessage() + "); in a read-only or noexec container,"
                + " extract it at build time and start with -Djna.boot.library.path=DIR -Djna.nounpack=true"
                + " -Djna.noclasspath=true (see docs/native.md).", cause);
    }
}
