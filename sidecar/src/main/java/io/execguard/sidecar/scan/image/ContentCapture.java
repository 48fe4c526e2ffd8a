package io.execguard.sidecar.scan.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps the parts of one streamed file that {@link CapturePolicy} asks for. The stream only goes forward, so
 * ranges are taken in file order: the prefix, then an ELF file's program header table and PT_INTERP string when
 * they lie beyond the prefix, then for 32-bit ARM the last {@value CapturePolicy#ARM_TAIL} bytes.
 */
final class ContentCapture {
    private static final int EM_ARM = 40;
    private static final int PT_INTERP = 3;
    private static final int PATH_MAX = 4096;

    private final InputStream in;
    private final long size;
    private final List<CapturedContent.Range> ranges = new ArrayList<>();
    /** (offset, length) of every ELF table asked for, in file order: kept when the prefix is trimmed. */
    private final List<long[]> wanted = new ArrayList<>();
    private long position;

    private ContentCapture(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /** Captures what {@code policy} wants of a regular file of {@code size} bytes read from {@code in}. */
    static CapturedContent capture(InputStream in, long size, String path, int mode, CapturePolicy policy)
            throws IOException {
        ContentCapture c = new ContentCapture(in, size);
        int prefixLength = policy.prefixFor(path, mode);
        byte[] prefix = c.take(Math.min(size, prefixLength));
        c.ranges.add(new CapturedContent.Range(0, prefix));
        if (isElf(prefix) && policy.wantsElfDetail(path, mode)) {
            c.captureElfDetail(prefix);
            if (prefixLength < CapturePolicy.ENTRYPOINT_PREFIX && prefix.length > CapturePolicy.ELF_PREFIX) {
                c.trimPrefix(CapturePolicy.ELF_PREFIX);
            }
        }
        return CapturedContent.of(size, c.ranges);
    }

    /**
     * Shrinks the prefix of an ELF file to {@code length} bytes once its tables are known, keeping the program
     * header table and PT_INTERP string even where they lay in the part cut off.
     */
    private void trimPrefix(int length) {
        byte[] prefix = ranges.get(0).bytes;
        List<CapturedContent.Range> kept = new ArrayList<>();
        kept.add(new CapturedContent.Range(0, Arrays.copyOf(prefix, length)));
        long[] merged = null;
        wanted.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] w : wanted) {
            long from = Math.max(w[0], length);
            long to = Math.min(w[0] + w[1], prefix.length);
            if (from >= to) {
                continue;
            }
            if (merged != null && from <= merged[1]) {
                merged[1] = Math.max(merged[1], to);
            } else {
                addSlice(kept, prefix, merged);
                merged = new long[] {from, to};
            }
        }
        addSlice(kept, prefix, merged);
        kept.addAll(ranges.subList(1, ranges.size()));
        ranges.clear();
        ranges.addAll(kept);
    }

    private static void addSlice(List<CapturedContent.Range> into, byte[] prefix, long[] interval) {
        if (interval != null) {
            into.add(new CapturedContent.Range(interval[0],
                    Arrays.copyOfRange(prefix, (int) interval[0], (int) interval[1])));
        }
    }

    private static boolean isElf(byte[] b) {
        return b.length >= 52 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F'
                && (b[4] == 1 || b[4] == 2) && (b[5] == 1 || b[5] == 2);
    }

    private void captureElfDetail(byte[] header) throws IOException {
        boolean is64 = header[4] == 2;
        ByteBuffer h = ByteBuffer.wrap(header).order(header[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        if (is64 && header.length < 64) {
            return;
        }
        int machine = h.getShort(18) & 0xffff;
        long phoff = is64 ? h.getLong(32) : h.getInt(28) & 0xffffffffL;
        int phentsize = h.getShort(is64 ? 54 : 42) & 0xffff;
        int phnum = h.getShort(is64 ? 56 : 44) & 0xffff;
        long tableLength = (long) phentsize * phnum;
        if (phoff > 0 && tableLength > 0 && tableLength <= CapturePolicy.ELF_TABLE_LIMIT && phoff < size) {
            byte[] table = bytesAt(phoff, (int) Math.min(tableLength, size - phoff));
            if (table != null) {
                captureInterpreter(table, h.order(), is64, phentsize);
            }
        }
        if (machine == EM_ARM && !is64) {
            captureTail();
        }
    }

    private void captureInterpreter(byte[] table, ByteOrder order, boolean is64, int phentsize) throws IOException {
        ByteBuffer t = ByteBuffer.wrap(table).order(order);
        int minEntry = is64 ? 40 : 20;
        if (phentsize < minEntry) {
            return;
        }
        for (int at = 0; at + minEntry <= table.length; at += phentsize) {
            if (t.getInt(at) == PT_INTERP) {
                long offset = is64 ? t.getLong(at + 8) : t.getInt(at + 4) & 0xffffffffL;
                long length = is64 ? t.getLong(at + 32) : t.getInt(at + 16) & 0xffffffffL;
                if (offset >= 0 && length > 0 && length <= PATH_MAX && offset < size) {
                    bytesAt(offset, (int) Math.min(length, size - offset));
                }
                return;
            }
        }
    }

    /**
     * The bytes at {@code offset}: from what is already kept when they are there, else read and kept when the
     * stream has not passed them yet; null when the stream is already beyond them.
     */
    private byte[] bytesAt(long offset, int length) throws IOException {
        wanted.add(new long[] {offset, length});
        byte[] kept = keptSlice(offset, length);
        if (kept != null) {
            return kept;
        }
        long start = Math.max(offset, position);
        if (start >= offset + length) {
            return null;
        }
        skipTo(start);
        byte[] bytes = take(offset + length - start);
        ranges.add(new CapturedContent.Range(start, bytes));
        if (start == offset) {
            return bytes;
        }
        byte[] head = keptSlice(offset, (int) (start - offset));
        if (head == null) {
            return null;
        }
        byte[] all = Arrays.copyOf(head, length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    private byte[] keptSlice(long offset, int length) {
        for (CapturedContent.Range r : ranges) {
            if (offset >= r.offset && offset + length <= r.offset + r.bytes.length) {
                int from = (int) (offset - r.offset);
                return Arrays.copyOfRange(r.bytes, from, from + length);
            }
        }
        return null;
    }

    private void captureTail() throws IOException {
        long tailStart = Math.max(position, size - CapturePolicy.ARM_TAIL);
        if (tailStart >= size) {
            return;
        }
        skipTo(tailStart);
        ranges.add(new CapturedContent.Range(tailStart, take(size - tailStart)));
    }

    private void skipTo(long target) throws IOException {
        while (position < target) {
            long skipped = in.skip(target - position);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("layer entry ends before its declared size of " + size + " bytes");
                }
                skipped = 1;
            }
            position += skipped;
        }
    }

    private byte[] take(long length) throws IOException {
        byte[] b = in.readNBytes((int) length);
        position += b.length;
        if (b.length < length) {
            throw new IOException("layer entry ends before its declared size of " + size + " bytes");
        }
        return b;
    }
}
