package io.execguard.sidecar.watch;

/** Watch cannot start or go on; the message is one sentence for the user, the exit code is documented. */
public final class WatchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public WatchException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
