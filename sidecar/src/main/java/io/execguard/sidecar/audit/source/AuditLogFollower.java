package io.execguard.sidecar.audit.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an audit log written by auditd, like {@code tail -F}, across both kinds of rotation without losing or
 * repeating a line:
 * <ul>
 *   <li>rename (auditd's own {@code max_log_file_action = rotate}, logrotate's default): the old file is read
 *       to its end (through the descriptor held open) before the new one is opened at its start;</li>
 *   <li>copytruncate: when the file shrinks, the lines written after our last read are taken from the copy
 *       ({@code audit.log.1} or another sibling whose bytes before our position match what we read), then the
 *       truncated file is read from its start.</li>
 * </ul>
 * Several rotations between two polls are handled for the uncompressed rotated siblings auditd and logrotate keep:
 * numbered, {@code PATH.1} (newest) ... {@code PATH.N} (auditd's {@code num_logs}, logrotate's {@code rotate N}),
 * and dated, {@code PATH-20261126} or {@code PATH-20261126-1764115200} (logrotate's {@code dateext}; any name of
 * {@code PATH}, one of {@code . - _}, then digits, dots, dashes and underscores). Every such sibling that appeared
 * since the last rotation the follower handled - it knows the inodes of the ones that were there before - holds
 * lines it has not read: they are read whole, oldest first (highest number; for dated names, oldest modification
 * time, then name), after the file it had open or the copy holding its unread tail, and before the live file. When
 * that cannot be established (the file it had open is gone and unseen siblings are there - auditd's
 * {@code num_logs} deleted it - or no copy holds the tail after a copytruncate), lines may be missing: the follower
 * says so in a warning and counts it in {@link #possibleLosses()}, rather than guessing and perhaps repeating lines.
 * Compressed rotated files ({@code .gz}: logrotate's {@code compress}) are never read: compression happens at the
 * next rotation by default ({@code delaycompress}) or right after this one, and a file compressed before the
 * follower saw it is reported as a possible loss when the file it had open is gone; one rotation per poll is
 * always followed, whatever the names.
 *
 * <p>Lines that logrotate's copytruncate itself loses (written between its copy and its truncate) are lost for
 * every reader; auditd never uses copytruncate. Starts at the end of the file unless asked to start at the
 * beginning. Not thread-safe: one thread calls {@link #poll()}.
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
    private volatile long possibleLosses; // read by the metrics thread
    /** Inodes of the rotated siblings there were at the last rotation: files whose lines are not ours to read. */
    private Set<Object> known;

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

    /**
     * Rotations after which lines may be missing: the file it had open vanished while newer rotated files it had
     * never seen were there, or no copy held the lines after a copytruncate.
     */
    public long possibleLosses() {
        return possibleLosses;
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
        if (known == null) {
            known = keys(rotatedSiblings()); // what is there now was rotated before we started
        }
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
        boolean any = false;
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                return any;
            }
            if (tailLength > 0 && !tailMatches(channel, position)) {
                // Truncated and rewritten past our position between the check above and this read: the bytes
                // just read may be the new file's. Drop them; the copy holds the old ones from our position on.
                truncated();
                return true;
            }
            any = true;
            position += n;
            splitter.feed(buffer.array(), 0, n, sink);
            remember(buffer.array(), n);
        }
    }

    private boolean readFrom(FileChannel ch) throws IOException {
        long end = readFrom(ch, position);
        boolean any = end > position;
        position = end;
        return any;
    }

    /** Delivers the lines of {@code ch} from {@code from} to its end; returns where it ended. */
    private long readFrom(FileChannel ch, long from) throws IOException {
        long at = from;
        while (true) {
            buffer.clear();
            int n = ch.read(buffer, at);
            if (n <= 0) {
                return at;
            }
            at += n;
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
            renamed();
            return true;
        }
        if (now.size() < position) {
            truncated();
            return true;
        }
        return false;
    }

    /**
     * The file we had open was renamed: finish it through our descriptor, open the live file (before looking at
     * the siblings, so that a rotation from now on is seen at the next poll), read the rotated files that appeared
     * in between, then the live file.
     */
    private void renamed() throws IOException {
        Object old = fileKey;
        readFrom(channel); // lines written to the old file after our last read
        splitter.finish(sink);
        channel.close();
        channel = null;
        rotations++;
        boolean opened = open(false);
        List<Sibling> siblings = rotatedSiblings();
        List<Sibling> missed = unseen(siblings, old);
        readWhole(missed);
        if (!missed.isEmpty() && siblings.stream().noneMatch(s -> s.key.equals(old))) {
            possibleLosses++;
            LOG.warn("{} was rotated {} times since it was last read and the file it had open is no longer among"
                    + " its rotated siblings (deleted by num_logs or rotate N, or compressed?): read {}, but lines of"
                    + " files rotated and deleted in between are lost", path, missed.size() + 1, names(missed));
        } else if (!missed.isEmpty()) {
            LOG.info("{} was rotated {} times since it was last read; read {} in between", path, missed.size() + 1,
                    names(missed));
        }
        known = keys(siblings);
        if (opened) {
            readFrom(channel);
        }
    }

    private void truncated() throws IOException {
        truncations++;
        Optional<Path> copy = findCopy();
        if (copy.isPresent()) {
            try (FileChannel ch = FileChannel.open(copy.get(), StandardOpenOption.READ)) {
                readFrom(ch);
            }
            splitter.finish(sink);
            LOG.debug("{} was truncated; read the rest of it from {}", path, copy.get());
            // Truncated again (and copied again) before this poll: the newer copies hold what came in between.
            Object copyKey = Files.readAttributes(copy.get(), BasicFileAttributes.class).fileKey();
            List<Sibling> missed = unseen(rotatedSiblings(), copyKey);
            readWhole(missed);
            if (!missed.isEmpty()) {
                LOG.info("{} was truncated {} times since it was last read; read {} in between", path,
                        missed.size() + 1, names(missed));
            }
        } else if (position > 0) {
            possibleLosses++;
            LOG.warn("{} was truncated and no copy holding its last lines was found (truncated twice with one"
                    + " copy kept?); lines written after byte {} before the truncation may be lost", path, position);
        }
        splitter.finish(sink);
        known = keys(rotatedSiblings());
        position = 0;
        tailLength = 0;
        readFrom(channel);
    }

    /** Rotated siblings not known from earlier rotations, other than {@code except} and the live file, oldest first. */
    private List<Sibling> unseen(List<Sibling> siblings, Object except) {
        List<Sibling> out = new ArrayList<>();
        boolean allNumbered = true;
        for (Sibling s : siblings) {
            if (!known.contains(s.key) && !s.key.equals(except) && !s.key.equals(fileKey)) {
                out.add(s);
                allNumbered &= s.number >= 0;
            }
        }
        if (allNumbered) {
            out.sort((a, b) -> Long.compare(b.number, a.number));
        } else {
            // Dated names: the file rotated first was last written first; equal times (a coarse clock, two
            // rotations within one tick) fall back to the name, which sorts by date for logrotate's formats.
            out.sort(Comparator.comparingLong((Sibling x) -> x.modifiedNanos).thenComparing(x -> x.path));
        }
        return out;
    }

    /** Reads each file from its start to its end, as one more piece of the stream. */
    private void readWhole(List<Sibling> files) throws IOException {
        for (Sibling s : files) {
            try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
                readFrom(ch, 0);
            } catch (NoSuchFileException e) {
                possibleLosses++;
                LOG.warn("{} vanished before it could be read; its lines are lost", s.path);
            }
            splitter.finish(sink);
        }
        if (!files.isEmpty()) {
            tailLength = 0; // the tail is compared with the live file only
        }
    }

    /**
     * Regular files named {@code PATH}, one of {@code . - _}, then a digit followed by digits, dots, dashes and
     * underscores: {@code PATH.N} (auditd's and logrotate's numbered rotation) and logrotate's {@code dateext}
     * names. Compressed files ({@code .gz}), and names like {@code PATH.bak} or {@code PATH.lock}, do not match.
     */
    private List<Sibling> rotatedSiblings() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        String base = path.getFileName().toString();
        List<Sibling> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob(base) + "*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(base.length());
                if (!isRotationSuffix(rest)) {
                    continue;
                }
                String digits = rest.substring(1);
                long number = rest.charAt(0) == '.' && digits.length() <= 9
                        && digits.chars().allMatch(c -> c >= '0' && c <= '9') ? Long.parseLong(digits) : -1;
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.fileKey() != null) {
                        out.add(new Sibling(p, number, a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
                    }
                } catch (NoSuchFileException e) {
                    // rotated away while we listed: the next rotation finds it under its new number
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    /** {@code .1}, {@code -20261126}, {@code -2026-11-26_13}, {@code .20261126-1764115200}: see rotatedSiblings. */
    static boolean isRotationSuffix(String rest) {
        if (rest.length() < 2 || ".-_".indexOf(rest.charAt(0)) < 0 || !Character.isDigit(rest.charAt(1))) {
            return false;
        }
        for (int i = 2; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static String glob(String literal) {
        return literal.replaceAll("([\\*?\\[\\]{}])", "\\\\$1");
    }

    private static Set<Object> keys(List<Sibling> siblings) {
        Set<Object> out = new HashSet<>();
        for (Sibling s : siblings) {
            out.add(s.key);
        }
        return out;
    }

    private static String names(List<Sibling> siblings) {
        StringBuilder sb = new StringBuilder();
        for (Sibling s : siblings) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.path.getFileName());
        }
        return sb.toString();
    }

    /** A rotated file, identified by its inode; {@code number} is N of {@code PATH.N}, or -1 for other names. */
    private static final class Sibling {
        final Path path;
        final long number;
        final Object key;
        final long modifiedNanos;

        Sibling(Path path, long number, Object key, long modifiedNanos) {
            this.path = path;
            this.number = number;
            this.key = key;
            this.modifiedNanos = modifiedNanos;
        }
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
