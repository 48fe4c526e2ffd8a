package io.execguard.agent.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Identifies one version of one file: device, inode, size, modification time and status-change time (ctime), all
 * from one {@code stat}. The ctime is what makes the key trustworthy: anyone who may write a file may also set its
 * modification time back ({@code cp -p}, {@code tar}, {@code touch -r}), so a file rewritten in place with the same
 * size could keep device, inode, size and mtime; but every change of content, mode or links sets the ctime to the
 * kernel's clock, and nothing in user space can set it back. Immutable.
 */
final class FileKey {
    /** One stat, through the {@code unix} view: the only public API that exposes the ctime. */
    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    private final long device;
    private final long inode;
    private final long size;
    private final long mtimeNanos;
    private final long ctimeNanos;

    FileKey(long device, long inode, long size, long mtimeNanos, long ctimeNanos) {
        this.device = device;
        this.inode = inode;
        this.size = size;
        this.mtimeNanos = mtimeNanos;
        this.ctimeNanos = ctimeNanos;
    }

    /** The key of the file {@code path} names (symlinks followed); empty when it cannot be stat'ed. */
    static Optional<FileKey> of(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES);
            return Optional.of(new FileKey((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                    nanos(a.get("lastModifiedTime")), nanos(a.get("ctime"))));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException
                 | ClassCastException | NullPointerException e) {
            return Optional.empty(); // not there, not readable, or not a unix file system: no key, no caching
        }
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    /**
     * Whether the file changed less than {@code windowNanos} before {@code nowNanos} (both since the epoch). File
     * timestamps come from a coarse clock (a scheduler tick, or a whole second on some file systems), so a second
     * change within the same tick would leave the key as it is: a verdict on such a file must not be cached.
     */
    boolean changedWithin(long windowNanos, long nowNanos) {
        return nowNanos - ctimeNanos < windowNanos;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileKey)) {
            return false;
        }
        FileKey k = (FileKey) o;
        return device == k.device && inode == k.inode && size == k.size && mtimeNanos == k.mtimeNanos
                && ctimeNanos == k.ctimeNanos;
    }

    @Override
    public int hashCode() {
        // By hand rather than Objects.hash: no varargs array and no boxing on every exec.
        int h = Long.hashCode(device);
        h = 31 * h + Long.hashCode(inode);
        h = 31 * h + Long.hashCode(size);
        h = 31 * h + Long.hashCode(mtimeNanos);
        return 31 * h + Long.hashCode(ctimeNanos);
    }

    @Override
    public String toString() {
        return "dev=" + device + " ino=" + inode + " size=" + size + " mtime=" + mtimeNanos + " ctime=" + ctimeNanos;
    }
}
