package io.execguard.core.testing;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory, non-live file tree (no symlinks) whose files count every byte read from them, so tests can prove the
 * engine's read bound. Files may be virtual and huge: their content is generated on demand.
 */
public final class MemoryFileTree implements FileTree {
    /** Content of a file, possibly larger than memory. */
    public interface Content {
        long size();

        int byteAt(long position);
    }

    private record Node(FileType type, int mode, Content content, long inode) {
    }

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final AtomicLong inodes = new AtomicLong(2);
    private final AtomicLong mostReadFromOneOpen = new AtomicLong();
    private final AtomicLong readCalls = new AtomicLong();
    private volatile long lowestPosition;

    public MemoryFileTree() {
        nodes.put("/", new Node(FileType.DIRECTORY, 0755, null, 1));
    }

    public MemoryFileTree file(String path, byte[] bytes, int mode) {
        return file(path, new Content() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public int byteAt(long position) {
                return bytes[(int) position] & 0xff;
            }
        }, mode);
    }

    public MemoryFileTree file(String path, Content content, int mode) {
        directoriesFor(path);
        nodes.put(path, new Node(FileType.REGULAR, mode, content, inodes.getAndIncrement()));
        return this;
    }

    private void directoriesFor(String path) {
        for (int i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
            nodes.putIfAbsent(path.substring(0, i), new Node(FileType.DIRECTORY, 0755, null,
                    inodes.getAndIncrement()));
        }
    }

    /** The most bytes the engine read through one open file. */
    public long mostReadFromOneOpen() {
        return mostReadFromOneOpen.get();
    }

    public long readCalls() {
        return readCalls.get();
    }

    /** The lowest position ever read (negative would be a bug). */
    public long lowestPosition() {
        return lowestPosition;
    }

    @Override
    public Lookup lookup(String path, String cwd) {
        String abs = normalize(path.startsWith("/") ? path : cwd + "/" + path);
        if (path.isEmpty()) {
            return Lookup.failed(Lookup.Status.NOT_FOUND, "/", "empty path");
        }
        Node n = nodes.get(abs);
        if (n == null) {
            return Lookup.failed(Lookup.Status.NOT_FOUND, abs, "no such file");
        }
        long size = n.content == null ? 4096 : n.content.size();
        return Lookup.found(abs, new FileAttributes(n.type, n.mode, size, 0, 0, 1, n.inode, 0));
    }

    private static String normalize(String p) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : p.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }

    @Override
    public OpenedFile open(String path, String cwd) throws IOException {
        Lookup l = lookup(path, cwd);
        Node n = l.isFound() ? nodes.get(l.resolvedPath()) : null;
        if (n == null || n.type != FileType.REGULAR) {
            throw new NoSuchFileException(path);
        }
        FileAttributes attributes = l.attributes().orElseThrow();
        return new OpenedFile() {
            private long read;

            @Override
            public FileAttributes attributes() {
                return attributes;
            }

            @Override
            public int read(long position, ByteBuffer dst) {
                readCalls.incrementAndGet();
                if (position < lowestPosition) {
                    lowestPosition = position;
                }
                if (position >= n.content.size()) {
                    return -1;
                }
                int count = 0;
                while (dst.hasRemaining() && position + count < n.content.size()) {
                    dst.put((byte) n.content.byteAt(position + count));
                    count++;
                }
                read += count;
                mostReadFromOneOpen.accumulateAndGet(read, Math::max);
                return count;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String describe() {
        return "memory";
    }
}
