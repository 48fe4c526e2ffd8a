package io.execguard.sidecar.audit.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an audit log written by auditd, like {@code tail -F}, across both kinds of rotation without losing or
 * repeating a line:
 * <ul>
 *   <li>rename (auditd's own {@code max_log_file_action = rotate}, logrotate's default): the old file is read
 *       to its end before the new one is opened at its start;</li>
 *   <li>copytruncate: when the file shrinks, the lines written after our last read are taken from the copy
 *       ({@code audit.log.1} or another sibling whose bytes before our position match what we read), then the
 *       truncated file is read from its start.</li>
 * </ul>
 * Lines that logrotate's copytruncate itself loses (written between its copy and its truncate) are lost for every
 * reader; auditd never uses copytruncate. Starts at the end of the file unless asked to start at the beginning.
 * Not thread-safe: one thread calls {@link #poll()}.
 */
public final class AuditLogFollower implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLogFollower.class);
    private static final int TAIL = 256;

    private final Path path;
    private final LineSink sink;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    private final Lines splitter = new Lines();
    private final byte[] tail = new byte[TAIL];
    private int tailLength;
    private boolean startAtEnd;
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private long rotations;
    private long truncations;

    /**
     * @param path the log file (it may not exist yet)
     * @param fromStart read what the file already holds; otherwise start at its current end
     */
    public AuditLogFollower(Path path, boolean fromStart, LineSink sink) {
        this.path = Objects.requireNonNull(path, "path");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.startAtEnd = !fromStart;
    }

    /**
     * Reads everything new, handling rotation. Returns true when lines may have been delivered, false when there
     * was nothing new (then {@link LineSink#idle()} has been called).
     */
    public boolean poll() throws IOException {
        if (channel == null) {
            boolean opened = open(startAtEnd);
            startAtEnd = false; // a file that appears later is read from its start
            if (!opened) {
                sink.idle();
                return false;
            }
        }
        boolean read = readAvailable();
        if (!read) {
            read = checkRotation();
        }
        if (!read) {
            sink.idle();
        }
        return read;
    }

    /**
     * Fixes the starting point now (the end of the file as it is at this moment, unless reading from the start)
     * instead of at the first {@link #poll()}, so that nothing written after the caller started is skipped.
     */
    public void begin() throws IOException {
        if (channel == null) {
            open(startAtEnd);
            startAtEnd = false;
        }
    }

    /** Rotations by rename seen so far. */
    public long rotations() {
        return rotations;
    }

    /** Truncations (copytruncate) seen so far. */
    public long truncations() {
        return truncations;
    }

    /** Where reading continues in the current file. */
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private boolean open(boolean atEnd) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        channel = ch;
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        position = atEnd ? ch.size() : 0;
        tailLength = 0;
        if (atEnd && position > 0) {
            rememberTailFromFile(ch, position);
            if (tailLength > 0 && tail[tailLength - 1] != '\n') {
                splitter.skipFirstLine(); // we start in the middle of a line being written
            }
        }
        return true;
    }

    private boolean readAvailable() throws IOException {
        if (channel.size() > position && tailLength > 0 && !tailMatches(channel, position)) {
            // Same inode, grown again past our position with different bytes: truncated and rewritten.
            truncated();
            return true;
        }
        return readFrom(channel);
    }

    private boolean readFrom(FileChannel ch) throws IOException {
        boolean any = false;
        while (true) {
            buffer.clear();
            int n = ch.read(buffer, position);
            if (n <= 0) {
                return any;
            }
            any = true;
            position += n;
            splitter.feed(buffer.array(), 0, n, sink);
            remember(buffer.array(), n);
        }
    }

    private boolean checkRotation() throws IOException {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false; // renamed away, the new file is not there yet: keep reading the old one
        }
        if (!Objects.equals(now.fileKey(), fileKey)) {
            readFrom(channel); // lines written to the old file after our last read
            splitter.finish(sink);
            channel.close();
            channel = null;
            rotations++;
            LOG.debug("{} was rotated by rename; continuing with the new file", path);
            if (open(false)) {
                readFrom(channel);
            }
            return true;
        }
        if (now.size() < position) {
            truncated();
            return true;
        }
        return false;
    }

    private void truncated() throws IOException {
        truncations++;
        Optional<Path> copy = findCopy();
        if (copy.isPresent()) {
            try (FileChannel ch = FileChannel.open(copy.get(), StandardOpenOption.READ)) {
                readFrom(ch);
            }
            LOG.debug("{} was truncated; read the rest of it from {}", path, copy.get());
        } else if (position > 0) {
            LOG.warn("{} was truncated and no copy holding its last lines was found; lines written after"
                    + " byte {} before the truncation are lost", path, position);
        }
        splitter.finish(sink);
        position = 0;
        tailLength = 0;
        readFrom(channel);
    }

    /** The rotated copy: a sibling named after the log whose bytes just before our position are ours. */
    private Optional<Path> findCopy() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        String name = path.getFileName().toString();
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name + "*")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().equals(name) && Files.isRegularFile(p)) {
                    candidates.add(p);
                }
            }
        }
        candidates.sort((a, b) -> Long.compare(lastModified(b), lastModified(a)));
        for (Path p : candidates) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                if (ch.size() >= position && tailMatches(ch, position)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean tailMatches(FileChannel ch, long at) throws IOException {
        if (tailLength == 0) {
            return true;
        }
        ByteBuffer b = ByteBuffer.allocate(tailLength);
        long from = at - tailLength;
        while (b.hasRemaining()) {
            if (ch.read(b, from + b.position()) <= 0) {
                return false;
            }
        }
        return Arrays.equals(b.array(), 0, tailLength, tail, 0, tailLength);
    }

    private void rememberTailFromFile(FileChannel ch, long at) throws IOException {
        int n = (int) Math.min(TAIL, at);
        ByteBuffer b = ByteBuffer.wrap(tail, 0, n);
        while (b.hasRemaining() && ch.read(b, at - n + b.position()) > 0) {
            // keep reading
        }
        tailLength = b.position() == n ? n : 0;
    }

    private void remember(byte[] data, int n) {
        if (n >= TAIL) {
            System.arraycopy(data, n - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
        } else {
            int keep = Math.min(tailLength, TAIL - n);
            System.arraycopy(tail, tailLength - keep, tail, 0, keep);
            System.arraycopy(data, 0, tail, keep, n);
            tailLength = keep + n;
        }
    }
}
