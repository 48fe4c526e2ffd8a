package io.execguard.linux;

import java.io.IOException;

/**
 * A system call failed with an errno. Callers decide what an errno means in their context (EPERM from the audit
 * subsystem means something else than EPERM from open), so the number is kept next to the message.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;

    public ErrnoException(String call, int errno) {
        super(call + ": " + LinuxErrno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The symbolic name, e.g. {@code EPERM}, or {@code errno N}. */
    public String errnoName() {
        return LinuxErrno.describe(errno);
    }

    /** The call that failed, e.g. {@code bind}. */
    public String call() {
        return call;
    }
}
