package io.execguard.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileType;
import java.nio.charset.StandardCharsets;

/**
 * The file system calls behind {@link RootedFileTree}, with the flag values of the running architecture (arm64 numbers
 * O_DIRECTORY and O_NOFOLLOW differently from x86_64). Every method returns a descriptor or throws
 * {@link ErrnoException}; callers own the descriptors they get.
 */
final class FileCalls {
    static final int AT_FDCWD = -100;
    static final int O_RDONLY = 0;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_NO_SYMLINKS = 0x04;
    static final long RESOLVE_IN_ROOT = 0x10;
    private static final long SYS_OPENAT2 = 437;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE = 256;
    private static final byte[] EMPTY = {0};
    private static final int SCRATCH_PATH = 4096;
    /** Per-thread native buffers: a lookup makes several calls, and malloc plus a cleaner per call shows up. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Native memory one thread reuses for paths, {@code struct open_how} and {@code struct statx}. */
    private static final class Scratch {
        final Memory path = new Memory(SCRATCH_PATH + 1);
        final Memory how = new Memory(24);
        final Memory statx = new Memory(STATX_SIZE);
    }

    static {
        String arch = System.getProperty("os.arch");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64") || arch.startsWith("arm");
        O_DIRECTORY = arm ? 040000 : 0200000;
        O_NOFOLLOW = arm ? 0100000 : 0400000;
    }

    private FileCalls() {
    }

    /**
     * {@code openat2(dirfd, path, {flags, 0, resolve}, 24)}; glibc has no wrapper, so via {@code syscall(437)}.
     *
     * @return the descriptor, or the negated errno
     */
    static int openat2(int dirfd, String path, int flags, long resolve) {
        Scratch scratch = SCRATCH.get();
        byte[] bytes = bytes(path);
        Memory p = bytes.length <= SCRATCH_PATH + 1 ? scratch.path : new Memory(bytes.length);
        p.write(0, bytes, 0, bytes.length);
        Memory how = scratch.how;
        how.setLong(0, flags & 0xFFFFFFFFL);
        how.setLong(8, 0);
        how.setLong(16, resolve);
        long fd = LibC.syscall(SYS_OPENAT2, dirfd, Pointer.nativeValue(p), Pointer.nativeValue(how), 24, 0);
        return fd >= 0 ? (int) fd : -Native.getLastError();
    }

    /** @return the descriptor, or the negated errno */
    static int openat(int dirfd, String path, int flags) {
        int fd = LibC.openat(dirfd, bytes(path), flags, 0);
        return fd >= 0 ? fd : -Native.getLastError();
    }

    /** A descriptor returned by {@link #openat2} or {@link #openat}, or the failure as an exception. */
    static int check(int fdOrErrno, String call) throws ErrnoException {
        if (fdOrErrno < 0) {
            throw new ErrnoException(call, -fdOrErrno);
        }
        return fdOrErrno;
    }

    /** The attributes of the object {@code fd} refers to (an O_PATH descriptor is fine). */
    static FileAttributes fstat(int fd) throws ErrnoException {
        Memory buf = SCRATCH.get().statx;
        buf.clear();
        try {
            LibC.statx(fd, EMPTY, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
            int mode = Short.toUnsignedInt(buf.getShort(28));
            long mtime = buf.getLong(112) * 1_000_000_000L + Integer.toUnsignedLong(buf.getInt(120));
            long device = makedev(Integer.toUnsignedLong(buf.getInt(136)), Integer.toUnsignedLong(buf.getInt(140)));
            return new FileAttributes(type(mode), mode, buf.getLong(40), buf.getInt(20), buf.getInt(24), device,
                    buf.getLong(32), mtime);
        } catch (LastErrorException e) {
            throw new ErrnoException("statx", e.getErrorCode());
        }
    }

    /** The target of the symlink {@code fd} refers to (opened with O_PATH|O_NOFOLLOW). */
    static String readlink(int fd) throws ErrnoException {
        int size = 4096;
        try (Memory buf = new Memory(size)) {
            long n = LibC.readlinkat(fd, EMPTY, buf, size);
            if (n >= size) {
                throw new ErrnoException("readlinkat", 36);
            }
            return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            throw new ErrnoException("readlinkat", e.getErrorCode());
        }
    }

    /** Reads up to {@code count} bytes at {@code offset} into {@code buf}; 0 at end of file. */
    static long pread(int fd, Memory buf, long count, long offset) throws ErrnoException {
        while (true) {
            try {
                return LibC.pread(fd, buf, count, offset);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LinuxErrno.EINTR) {
                    throw new ErrnoException("pread", e.getErrorCode());
                }
            }
        }
    }

    static void close(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // close(2) frees the descriptor even when it reports an error; nothing to retry.
        }
    }

    static FileType type(int mode) {
        switch (mode & 0170000) {
            case 0100000: return FileType.REGULAR;
            case 0040000: return FileType.DIRECTORY;
            case 0120000: return FileType.SYMLINK;
            case 0010000: return FileType.FIFO;
            case 0140000: return FileType.SOCKET;
            case 0020000: return FileType.CHAR_DEVICE;
            case 0060000: return FileType.BLOCK_DEVICE;
            default: return FileType.UNKNOWN;
        }
    }

    /** glibc's {@code makedev}, the encoding {@link FileAttributes#device()} documents. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }

    private static byte[] bytes(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }
}
