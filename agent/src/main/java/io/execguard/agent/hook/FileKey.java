package io.execguard.agent.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Identifies one version of one file: device and inode (the file system's file key), size and modification time,
 * read with one {@code stat} through {@link BasicFileAttributes}, the cheapest attribute view - this is what every
 * exec pays. The status-change time (ctime), which only the slower {@code unix} view exposes, is read separately
 * by {@link #ctimeNanos(Path)} when a verdict is cached and re-checked from time to time (see {@link Diagnoser}).
 * Immutable.
 */
final class FileKey {
    private final Object deviceAndInode;
    private final long size;
    private final long mtimeNanos;

    FileKey(Object deviceAndInode, long size, long mtimeNanos) {
        this.deviceAndInode = Objects.requireNonNull(deviceAndInode);
        this.size = size;
        this.mtimeNanos = mtimeNanos;
    }

    /** The key of the file {@code path} names (symlinks followed); null when it cannot be stat'ed. */
    static FileKey of(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            Object key = a.fileKey();
            return key == null ? null : new FileKey(key, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * The file's status-change time in nanoseconds since the epoch (symlinks followed). Unlike the modification
     * time, which whoever may write a file may also set back ({@code cp -p}, {@code tar}, {@code touch -r}), the
     * kernel sets it on every change of content, mode or links and nothing in user space can set it back. Empty
     * when the file cannot be stat'ed or the file system has no {@code unix} view.
     */
    static OptionalLong ctimeNanos(Path path) {
        try {
            return OptionalLong.of(((FileTime) Files.getAttribute(path, "unix:ctime")).to(TimeUnit.NANOSECONDS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException
                 | ClassCastException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileKey)) {
            return false;
        }
        FileKey k = (FileKey) o;
        return deviceAndInode.equals(k.deviceAndInode) && size == k.size && mtimeNanos == k.mtimeNanos;
    }

    @Override
    public int hashCode() {
        // By hand rather than Objects.hash: no varargs array and no boxing on every exec.
        return 31 * (31 * deviceAndInode.hashCode() + Long.hashCode(size)) + Long.hashCode(mtimeNanos);
    }

    @Override
    public String toString() {
        return deviceAndInode + " size=" + size + " mtime=" + mtimeNanos;
    }
}
