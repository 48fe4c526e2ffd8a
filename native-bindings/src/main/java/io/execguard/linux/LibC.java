package io.execguard.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library functions execguard calls, bound with JNA direct mapping (cheaper per call than interface mapping,
 * which matters for the audit reader). Every function reports failure through {@link LastErrorException}; callers
 * turn that into an {@link ErrnoException} naming the call. Nothing outside this package sees JNA.
 */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    /** Does nothing; calling it runs this class's static initializer (Native.register) if it has not run yet. */
    static void load() {
        // Intentionally empty.
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, Pointer addr, int addrlen) throws LastErrorException;

    static native int getsockname(int fd, Pointer addr, Pointer addrlen) throws LastErrorException;

    static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen)
            throws LastErrorException;

    static native long recvfrom(int fd, Pointer buf, long len, int flags, Pointer addr, Pointer addrlen)
            throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len) throws LastErrorException;

    static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

    static native int eventfd(int initval, int flags) throws LastErrorException;

    static native long write(int fd, Pointer buf, long count) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int uname(Pointer buf) throws LastErrorException;

    /**
     * glibc's variadic {@code syscall(2)}, declared with six long arguments: on the 64-bit ABIs we target, integer
     * and pointer arguments of a variadic call travel in the same registers as those of a fixed one.
     */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    /**
     * {@code openat(2)}; its mode argument is variadic in C, passed here as a plain int (same registers). Like
     * {@link #syscall}, it reports failure as -1 with {@code Native.getLastError()} rather than an exception: path
     * resolution fails often and by design (ENOENT, ELOOP), and an exception per miss costs more than the call.
     */
    static native int openat(int dirfd, byte[] path, int flags, int mode);

    static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf) throws LastErrorException;

    static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    static native long readlinkat(int dirfd, byte[] path, Pointer buf, long size) throws LastErrorException;
}
