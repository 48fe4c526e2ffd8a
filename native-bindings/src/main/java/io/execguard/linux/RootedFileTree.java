package io.execguard.linux;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another process's file system, seen through its root ({@code /proc/PID/root}) without ever leaving it: every
 * lookup and open is resolved by the kernel with {@code openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)} relative to
 * an O_PATH descriptor of that root, so absolute symlinks, {@code ..} and {@code /proc/self/...} magic links planted
 * in a container cannot reach the host's files. On kernels without openat2 (before 5.6, or where seccomp hides it)
 * the same guarantee comes from walking the path one component at a time with O_NOFOLLOW, resolving symlinks in Java
 * and clamping {@code ..} at the root.
 *
 * <p>Regular files are opened only after an O_PATH look at what the name refers to, and then with O_NONBLOCK, so a
 * FIFO or device never blocks or gets opened for reading. The root descriptor stays valid after the process exits
 * (it pins the mount), and {@link #close()} releases it.
 */
public final class RootedFileTree implements FileTree, AutoCloseable {
    /** How paths are resolved. */
    public enum Resolution {
        /** The kernel resolves the whole path inside the root (Linux 5.6+). */
        OPENAT2,
        /** execguard walks the path component by component with O_NOFOLLOW. */
        COMPONENT_WALK
    }

    private static final int MAX_SYMLINKS = 40;
    private static final int EAGAIN_RETRIES = 8;
    private static final Pattern PROC_ROOT = Pattern.compile("/proc/(\\d+)/root/?");

    private final String rootPath;
    private final int rootFd;
    private final Resolution resolution;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();

    private RootedFileTree(String rootPath, int rootFd, Resolution resolution) {
        this.rootPath = rootPath;
        this.rootFd = rootFd;
        this.resolution = resolution;
    }

    /**
     * Opens {@code rootPath} (typically {@code /proc/PID/root}, or any directory) as the root of a tree, using
     * openat2 where the kernel has it.
     *
     * @throws ErrnoException when the root cannot be opened: ENOENT once the process is gone (or exiting, when it
     *     has no root any more), EACCES when the kernel's ptrace access check refuses another user's or a more
     *     privileged process's root to a caller without CAP_SYS_PTRACE
     */
    public static RootedFileTree of(String rootPath) throws IOException {
        return of(rootPath, null);
    }

    /** As {@link #of(String)}, forcing a resolution strategy (tests compare both). */
    static RootedFileTree of(String rootPath, Resolution forced) throws IOException {
        NativeLoader.ensureLoaded();
        int fd = FileCalls.openat(FileCalls.AT_FDCWD, rootPath,
                FileCalls.O_PATH | FileCalls.O_DIRECTORY | FileCalls.O_CLOEXEC);
        if (fd < 0) {
            throw new ErrnoException("Cannot open " + rootPath + " as a root", -fd);
        }
        return new RootedFileTree(rootPath, fd, forced != null ? forced : probe(fd));
    }

    /** openat2 is missing (ENOSYS) on old kernels; seccomp profiles of older runtimes answer EPERM instead. */
    private static Resolution probe(int rootFd) {
        int fd = FileCalls.openat2(rootFd, ".", FileCalls.O_PATH | FileCalls.O_CLOEXEC, resolveFlags());
        if (fd < 0) {
            return Resolution.COMPONENT_WALK;
        }
        FileCalls.close(fd);
        return Resolution.OPENAT2;
    }

    private static long resolveFlags() {
        return FileCalls.RESOLVE_IN_ROOT | FileCalls.RESOLVE_NO_MAGICLINKS;
    }

    /** Which strategy this tree uses. */
    public Resolution resolution() {
        return resolution;
    }

    @Override
    public Lookup lookup(String path, String cwd) {
        String absolute;
        try {
            absolute = absolute(path, cwd);
        } catch (IllegalArgumentException e) {
            return Lookup.failed(Lookup.Status.ERROR, String.valueOf(path), e.getMessage());
        }
        inUse.readLock().lock();
        try {
            return resolution == Resolution.OPENAT2 ? lookupWithOpenat2(absolute) : lookupByWalking(absolute);
        } catch (ErrnoException e) {
            return Lookup.failed(status(e.errno()), absolute, e.getMessage());
        } finally {
            inUse.readLock().unlock();
        }
    }

    /**
     * The kernel's answer is authoritative. A path without symlinks (the common case) needs one call: its resolved
     * name is the path itself with {@code ..} applied. Only when RESOLVE_NO_SYMLINKS says a symlink is on the way does
     * a walk afterwards name the path the symlinks led to.
     */
    private Lookup lookupWithOpenat2(String absolute) throws ErrnoException {
        int fd = openat2Retrying(absolute, FileCalls.O_PATH | FileCalls.O_CLOEXEC, FileCalls.RESOLVE_NO_SYMLINKS);
        String resolved = normalize(absolute);
        if (fd == -LinuxErrno.ELOOP) {
            fd = openat2Retrying(absolute, FileCalls.O_PATH | FileCalls.O_CLOEXEC, 0);
            if (fd >= 0) {
                try (Walk walk = walk(absolute)) {
                    resolved = walk.failure == null ? walk.resolvedPath() : absolute;
                } catch (ErrnoException e) {
                    FileCalls.close(fd);
                    throw e;
                }
            }
        }
        if (fd < 0) {
            return Lookup.failed(status(-fd), absolute, "openat2: " + LinuxErrno.describe(-fd));
        }
        try {
            return Lookup.found(resolved, FileCalls.fstat(fd));
        } finally {
            FileCalls.close(fd);
        }
    }

    /** {@code absolute} with {@code .} dropped and {@code ..} applied, never above the root. */
    static String normalize(String absolute) {
        List<String> names = new ArrayList<>();
        for (String part : components(absolute)) {
            if (part.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                }
            } else {
                names.add(part);
            }
        }
        return "/" + String.join("/", names);
    }

    private Lookup lookupByWalking(String absolute) throws ErrnoException {
        try (Walk walk = walk(absolute)) {
            if (walk.failure != null) {
                return Lookup.failed(walk.failure, walk.resolvedPath(), walk.detail);
            }
            return Lookup.found(walk.resolvedPath(), FileCalls.fstat(walk.finalFd()));
        }
    }

    @Override
    public OpenedFile open(String path, String cwd) throws IOException {
        ensureOpen();
        String absolute;
        try {
            absolute = absolute(path, cwd);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        inUse.readLock().lock();
        try {
            return openRegular(absolute);
        } catch (ErrnoException e) {
            throw new IOException("Cannot open " + absolute + " in " + describe() + ": " + e.errnoName(), e);
        } finally {
            inUse.readLock().unlock();
        }
    }

    private OpenedFile openRegular(String absolute) throws IOException {
        int probe = openPath(absolute);
        FileAttributes seen;
        try {
            seen = FileCalls.fstat(probe);
        } finally {
            FileCalls.close(probe);
        }
        if (seen.type() != FileType.REGULAR) {
            throw new IOException(absolute + " in " + describe() + " is not a regular file but a "
                    + seen.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        int fd = openForReading(absolute);
        try {
            FileAttributes opened = FileCalls.fstat(fd);
            if (opened.type() != FileType.REGULAR || opened.inode() != seen.inode()
                    || opened.device() != seen.device()) {
                throw new IOException(absolute + " in " + describe() + " was replaced while being opened");
            }
            return new DescriptorFile(fd, opened);
        } catch (IOException | RuntimeException e) {
            FileCalls.close(fd);
            throw e;
        }
    }

    private int openPath(String absolute) throws IOException {
        if (resolution == Resolution.OPENAT2) {
            return FileCalls.check(openat2Retrying(absolute, FileCalls.O_PATH | FileCalls.O_CLOEXEC, 0), "openat2");
        }
        try (Walk walk = walk(absolute)) {
            if (walk.failure != null) {
                throw new ErrnoException("resolve " + walk.detail, errnoOf(walk.failure));
            }
            return walk.takeFinalFd();
        }
    }

    private int openForReading(String absolute) throws IOException {
        int flags = FileCalls.O_RDONLY | FileCalls.O_NONBLOCK | FileCalls.O_NOCTTY | FileCalls.O_CLOEXEC;
        if (resolution == Resolution.OPENAT2) {
            return FileCalls.check(openat2Retrying(absolute, flags, 0), "openat2");
        }
        try (Walk walk = walk(absolute)) {
            if (walk.failure != null) {
                throw new ErrnoException("resolve " + walk.detail, errnoOf(walk.failure));
            }
            // The walk ended on a non-symlink, so opening its last name with O_NOFOLLOW cannot leave the root.
            return FileCalls.check(FileCalls.openat(walk.parentFd(), walk.lastName(), flags | FileCalls.O_NOFOLLOW),
                    "openat");
        }
    }

    /**
     * openat2 fails with EAGAIN when a rename or mount raced with resolution; the kernel asks us to retry.
     *
     * @return the descriptor, or the negated errno
     */
    private int openat2Retrying(String absolute, int flags, long extraResolve) throws ErrnoException {
        ensureOpenUnchecked();
        int fd = -LinuxErrno.EAGAIN;
        for (int attempt = 0; attempt <= EAGAIN_RETRIES && fd == -LinuxErrno.EAGAIN; attempt++) {
            fd = FileCalls.openat2(rootFd, absolute, flags, resolveFlags() | extraResolve);
        }
        return fd;
    }

    /** Resolves {@code absolute} one component at a time from the root; the caller closes the walk. */
    private Walk walk(String absolute) throws ErrnoException {
        ensureOpenUnchecked();
        Walk walk = new Walk(rootFd);
        Deque<String> todo = new ArrayDeque<>(components(absolute));
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.equals("..")) {
                walk.up();
                continue;
            }
            int fd = FileCalls.openat(walk.currentFd(), name, FileCalls.O_PATH | FileCalls.O_NOFOLLOW
                    | FileCalls.O_CLOEXEC);
            if (fd < 0) {
                walk.fail(status(-fd), name, LinuxErrno.describe(-fd));
                return walk;
            }
            FileAttributes attributes;
            String target = null;
            try {
                attributes = FileCalls.fstat(fd);
                if (attributes.type() == FileType.SYMLINK) {
                    target = FileCalls.readlink(fd);
                }
            } catch (ErrnoException e) {
                FileCalls.close(fd);
                walk.close();
                throw e;
            }
            if (target != null) {
                FileCalls.close(fd);
                if (++links > MAX_SYMLINKS) {
                    walk.fail(Lookup.Status.LOOP, name, "ELOOP");
                    return walk;
                }
                followSymlink(walk, todo, target);
                continue;
            }
            walk.down(name, fd);
            if (!todo.isEmpty() && attributes.type() != FileType.DIRECTORY) {
                walk.fail(Lookup.Status.NOT_DIRECTORY, todo.peekFirst(), "ENOTDIR");
                return walk;
            }
        }
        return walk;
    }

    /** An absolute target restarts at the root (never the host's); a relative one continues where the link is. */
    private static void followSymlink(Walk walk, Deque<String> todo, String target) {
        if (target.startsWith("/")) {
            walk.toRoot();
        }
        List<String> parts = components(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
            todo.addFirst(parts.get(i));
        }
    }

    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static String absolute(String path, String cwd) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (path.indexOf('\0') >= 0 || (cwd != null && cwd.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("path contains a NUL byte");
        }
        if (path.startsWith("/")) {
            return path;
        }
        String base = cwd == null || cwd.isEmpty() ? "/" : cwd;
        return (base.startsWith("/") ? base : "/" + base) + "/" + path;
    }

    private static int errnoOf(Lookup.Status status) {
        switch (status) {
            case NOT_FOUND: return LinuxErrno.ENOENT;
            case NOT_DIRECTORY: return LinuxErrno.ENOTDIR;
            case LOOP: return LinuxErrno.ELOOP;
            case ACCESS_DENIED: return LinuxErrno.EACCES;
            default: return LinuxErrno.EINVAL;
        }
    }

    private static Lookup.Status status(int errno) {
        switch (errno) {
            case LinuxErrno.ENOENT: return Lookup.Status.NOT_FOUND;
            case LinuxErrno.ENOTDIR: return Lookup.Status.NOT_DIRECTORY;
            case LinuxErrno.ELOOP: return Lookup.Status.LOOP;
            case LinuxErrno.EACCES: return Lookup.Status.ACCESS_DENIED;
            default: return Lookup.Status.ERROR;
        }
    }

    @Override
    public Optional<String> mountInfoPath() {
        Matcher m = PROC_ROOT.matcher(rootPath);
        return m.matches() ? Optional.of("/proc/" + m.group(1) + "/mountinfo") : Optional.empty();
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public String describe() {
        return rootPath;
    }

    /**
     * Releases the root descriptor, after lookups in progress have finished: closing it under them could let the
     * number be reused for another directory mid-resolution. Files opened from this tree stay readable.
     */
    @Override
    public void close() {
        inUse.writeLock().lock();
        try {
            if (closed.compareAndSet(false, true)) {
                FileCalls.close(rootFd);
            }
        } finally {
            inUse.writeLock().unlock();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("file tree " + rootPath + " is closed");
        }
    }

    private void ensureOpenUnchecked() throws ErrnoException {
        if (closed.get()) {
            throw new ErrnoException("file tree " + rootPath + " is closed", 9);
        }
    }

    /** The state of a component walk: the directories entered so far, as names and O_PATH descriptors. */
    private static final class Walk implements AutoCloseable {
        private final int rootFd;
        private final List<String> names = new ArrayList<>();
        private final List<Integer> fds = new ArrayList<>();
        private Lookup.Status failure;
        private String detail;

        Walk(int rootFd) {
            this.rootFd = rootFd;
        }

        int currentFd() {
            return fds.isEmpty() ? rootFd : fds.get(fds.size() - 1);
        }

        int parentFd() {
            return fds.size() < 2 ? rootFd : fds.get(fds.size() - 2);
        }

        String lastName() {
            return names.isEmpty() ? "." : names.get(names.size() - 1);
        }

        int finalFd() {
            return currentFd();
        }

        /** Hands the final descriptor to the caller (a dup-free transfer: the walk forgets it). */
        int takeFinalFd() throws ErrnoException {
            if (fds.isEmpty()) {
                return FileCalls.check(FileCalls.openat(rootFd, ".", FileCalls.O_PATH | FileCalls.O_CLOEXEC), "openat");
            }
            names.remove(names.size() - 1);
            return fds.remove(fds.size() - 1);
        }

        void down(String name, int fd) {
            names.add(name);
            fds.add(fd);
        }

        /** {@code ..}: one level up, never above the root. */
        void up() {
            if (!fds.isEmpty()) {
                names.remove(names.size() - 1);
                FileCalls.close(fds.remove(fds.size() - 1));
            }
        }

        void toRoot() {
            while (!fds.isEmpty()) {
                up();
            }
        }

        void fail(Lookup.Status status, String at, String why) {
            failure = status;
            detail = why + " at " + resolvedPath() + (resolvedPath().endsWith("/") ? "" : "/") + at;
        }

        String resolvedPath() {
            return "/" + String.join("/", names);
        }

        @Override
        public void close() {
            for (int fd : fds) {
                FileCalls.close(fd);
            }
            fds.clear();
        }
    }

    /** A regular file opened for reading, read with pread so concurrent readers need no shared position. */
    private static final class DescriptorFile implements OpenedFile {
        private static final int CHUNK = 1 << 20;
        private final int fd;
        private final FileAttributes attributes;
        private final AtomicBoolean closed = new AtomicBoolean();

        DescriptorFile(int fd, FileAttributes attributes) {
            this.fd = fd;
            this.attributes = attributes;
        }

        @Override
        public FileAttributes attributes() {
            return attributes;
        }

        @Override
        public int read(long position, java.nio.ByteBuffer dst) throws IOException {
            if (closed.get()) {
                throw new IOException("file is closed");
            }
            int want = Math.min(dst.remaining(), CHUNK);
            if (want == 0) {
                return 0;
            }
            try (com.sun.jna.Memory buf = new com.sun.jna.Memory(want)) {
                int n = (int) FileCalls.pread(fd, buf, want, position);
                if (n == 0) {
                    return -1;
                }
                dst.put(buf.getByteBuffer(0, n));
                return n;
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                FileCalls.close(fd);
            }
        }
    }
}
