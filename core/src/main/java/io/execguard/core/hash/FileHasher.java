package io.execguard.core.hash;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.OpenedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * SHA-256 of exec targets for {@code file.hash.sha256}. Files larger than a limit are not hashed (reading a 2 GiB
 * file per failed exec is not worth it), and results are cached by device, inode, size and mtime so a
 * crash-looping container's binary is read once. Files are read through a {@link FileTree}, so the sidecar hashes
 * inside a container's root with the same safe opener the diagnosis uses. Thread-safe.
 */
public final class FileHasher {
    /** Default largest file hashed: 64 MiB. */
    public static final long DEFAULT_MAX_SIZE = 64L << 20;
    /** Default number of cached hashes. */
    public static final int DEFAULT_CACHE_ENTRIES = 1024;

    private static final int BUFFER = 64 << 10;

    private final long maxSize;
    private final Map<Key, String> cache;

    private FileHasher(long maxSize, int cacheEntries) {
        if (maxSize < 0 || cacheEntries < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        this.maxSize = maxSize;
        this.cache = new LinkedHashMap<Key, String>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
                return size() > cacheEntries;
            }
        };
    }

    /** A hasher with {@link #DEFAULT_MAX_SIZE} and {@link #DEFAULT_CACHE_ENTRIES}. */
    public static FileHasher withDefaults() {
        return new FileHasher(DEFAULT_MAX_SIZE, DEFAULT_CACHE_ENTRIES);
    }

    /**
     * @param maxSize files larger than this many bytes are not hashed (0 disables hashing)
     * @param cacheEntries how many hashes to remember (least recently used go first)
     */
    public static FileHasher of(long maxSize, int cacheEntries) {
        return new FileHasher(maxSize, cacheEntries);
    }

    /**
     * The lower-case hex SHA-256 of {@code path} inside {@code tree}; empty when it is not a regular file, cannot be
     * opened or read, or is larger than the limit.
     */
    public Optional<String> sha256(FileTree tree, String path, String cwd) {
        if (maxSize == 0) {
            return Optional.empty();
        }
        try (OpenedFile file = tree.open(path, cwd)) {
            return sha256(file);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The SHA-256 of an already opened file (see {@link #sha256(FileTree, String, String)}). */
    public Optional<String> sha256(OpenedFile file) throws IOException {
        FileAttributes a = file.attributes();
        if (a.type() != FileType.REGULAR || a.size() > maxSize) {
            return Optional.empty();
        }
        Key key = new Key(a);
        String cached = cached(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> hash = digest(file, a.size());
        hash.ifPresent(h -> remember(key, h));
        return hash;
    }

    /** How many hashes are cached now. */
    public int cachedEntries() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private String cached(Key key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private void remember(Key key, String hash) {
        synchronized (cache) {
            cache.put(key, hash);
        }
    }

    /** Reads at most {@code expectedSize} (+1 to notice growth) bytes; a file that grew past the limit is skipped. */
    private Optional<String> digest(OpenedFile file, long expectedSize) throws IOException {
        MessageDigest sha = newSha256();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long position = 0;
        while (true) {
            buf.clear();
            int n = file.read(position, buf);
            if (n < 0) {
                break;
            }
            position += n;
            if (position > maxSize) {
                return Optional.empty();
            }
            buf.flip();
            sha.update(buf);
        }
        if (position != expectedSize) {
            return Optional.empty(); // changed while we read it: a hash of neither version would mislead
        }
        return Optional.of(hex(sha.digest()));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        final char[] digits = "0123456789abcdef".toCharArray();
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = digits[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Identity of one version of one file. */
    private static final class Key {
        private final long device;
        private final long inode;
        private final long size;
        private final long mtimeNanos;

        Key(FileAttributes a) {
            this.device = a.device();
            this.inode = a.inode();
            this.size = a.size();
            this.mtimeNanos = a.mtimeNanos();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return device == k.device && inode == k.inode && size == k.size && mtimeNanos == k.mtimeNanos;
        }

        @Override
        public int hashCode() {
            return Objects.hash(device, inode, size, mtimeNanos);
        }
    }
}
