package io.execguard.core.diagnose;

/**
 * What {@code execve(2)} returns for a file, or {@link #SIGSEGV} when exec passes the point of no return and the
 * new image is killed before it runs. Names and numbers are those of Linux on every architecture we target.
 */
public enum Errno {
    ENOENT(2, "No such file or directory"),
    EIO(5, "Input/output error"),
    E2BIG(7, "Argument list too long"),
    ENOEXEC(8, "Exec format error"),
    EACCES(13, "Permission denied"),
    ENOTDIR(20, "Not a directory"),
    ETXTBSY(26, "Text file busy"),
    ELOOP(40, "Too many levels of symbolic links"),
    ELIBBAD(80, "Accessing a corrupted shared library"),
    /** Not an errno: execve succeeded, then the kernel killed the new image with SIGSEGV. */
    SIGSEGV(-11, "Segmentation fault");

    private final int number;
    private final String message;

    Errno(int number, String message) {
        this.number = number;
        this.message = message;
    }

    /** The positive errno value, or the negated signal number for {@link #SIGSEGV}. */
    public int number() {
        return number;
    }

    /** The C library's {@code strerror} text, as callers print it. */
    public String message() {
        return message;
    }

    /** True when this is a signal that killed the new image rather than an error returned by execve. */
    public boolean isSignal() {
        return number < 0;
    }

    /** The constant for a positive errno value, if it is one execguard knows. */
    public static java.util.Optional<Errno> ofNumber(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }
}
