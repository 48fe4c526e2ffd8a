package io.execguard.sidecar.watch;

import io.execguard.linux.ErrnoException;
import io.execguard.linux.LinuxErrno;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A process root ({@code /proc/PID/root}) that could not be opened, with the errno that says why: ENOENT when the
 * process is gone or exiting (a zombie has no root), EACCES when the kernel's ptrace access check refuses it (another
 * user's or a more privileged process's root, without CAP_SYS_PTRACE). The two mean different things to watch: a
 * vanished root sends it on to the parent's, a refused one ends the search, because diagnosing in any other root
 * would judge a file outside the caller's root.
 */
public final class RootUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int ESRCH = 3;

    private final String root;
    private final Optional<Integer> errno;

    public RootUnavailableException(String root, Throwable cause) {
        super(reason(cause), cause);
        this.root = root;
        this.errno = errnoOf(cause);
    }

    /** The innermost message: an UncheckedIOException only repeats its cause's class and message. */
    private static String reason(Throwable t) {
        Throwable inner = t;
        while (inner instanceof UncheckedIOException && inner.getCause() != null) {
            inner = inner.getCause();
        }
        return inner.getMessage() != null ? inner.getMessage() : inner.toString();
    }

    private static Optional<Integer> errnoOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ErrnoException) {
                return Optional.of(((ErrnoException) c).errno());
            }
        }
        return Optional.empty();
    }

    /** The root that could not be opened, e.g. {@code /proc/1234/root}. */
    public String root() {
        return root;
    }

    /** The errno name, e.g. {@code EACCES}, or {@code unknown} when the opener did not say. */
    public String errnoName() {
        return errno.map(LinuxErrno::describe).orElse("unknown");
    }

    /** True when the kernel refused the root (EACCES, EPERM) rather than the process being gone. */
    public boolean refused() {
        return errno.map(e -> e == LinuxErrno.EACCES || e == LinuxErrno.EPERM).orElse(false);
    }

    /** True when the process is gone or exiting (ENOENT, ESRCH): its root no longer exists. */
    public boolean vanished() {
        return errno.map(e -> e == LinuxErrno.ENOENT || e == ESRCH).orElse(false);
    }
}
