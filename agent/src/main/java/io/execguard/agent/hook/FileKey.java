package io.execguard.agent.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Identifies one version of one file: device, inode, size and modification time. A diagnosis cached under this key
 * stays valid until the file is replaced or changed. Immutable.
 */
final class FileKey {
    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime";

    private final long device;
    private final long inode;
    private final long size;
    private final long mtimeNanos;

    FileKey(long device, long inode, long size, long mtimeNanos) {
        this.device = device;
        this.inode = inode;
        this.size = size;
        this.mtimeNanos = mtimeNanos;
    }

    /** The key of the file {@code path} names (symlinks followed); empty when it cannot be stat'ed. */
    static Optional<FileKey> of(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES);
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            return Optional.of(new FileKey(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
                    ((Number) a.get("size")).longValue(), mtime.to(java.util.concurrent.TimeUnit.NANOSECONDS)));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileKey)) {
            return false;
        }
        FileKey k = (FileKey) o;
        return device == k.device && inode == k.inode && size == k.size && mtimeNanos == k.mtimeNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(device, inode, size, mtimeNanos);
    }

    @Override
    public String toString() {
        return "dev=" + device + " ino=" + inode + " size=" + size + " mtime=" + mtimeNanos;
    }
}
