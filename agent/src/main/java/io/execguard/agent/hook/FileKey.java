package io.execguard.agent.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Identifies one version of one file: device and inode (the file system's file key), size and modification time.
 * A verdict cached under this key stays valid until the file is replaced or changed. Read with one {@code stat}
 * through {@link BasicFileAttributes}, the cheapest attribute view. Immutable.
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

    /** The key of the file {@code path} names (symlinks followed); empty when it cannot be stat'ed. */
    static Optional<FileKey> of(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            Object key = a.fileKey();
            return key == null ? Optional.empty()
                    : Optional.of(new FileKey(key, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
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
