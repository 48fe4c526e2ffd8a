package io.execguard.sidecar.scan.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parts of one image file that scan kept in memory while streaming its layer: always a prefix, and for ELF
 * files the program headers, the PT_INTERP string and (for 32-bit ARM) the tail holding the section headers and
 * {@code .ARM.attributes}. Reads outside the kept ranges fail with an {@link IOException} that says so, rather
 * than pretending the file ends there. Immutable.
 */
public final class CapturedContent {
    private final long size;
    private final List<Range> ranges;

    private CapturedContent(long size, List<Range> ranges) {
        this.size = size;
        this.ranges = ranges;
    }

    /** A captured file of {@code size} bytes; {@code ranges} must be sorted and not overlap. */
    static CapturedContent of(long size, List<Range> ranges) {
        return new CapturedContent(size, Collections.unmodifiableList(new ArrayList<>(ranges)));
    }

    /** The bytes held in memory for this file. */
    public long capturedBytes() {
        long n = 0;
        for (Range r : ranges) {
            n += r.bytes.length;
        }
        return n;
    }

    /** True when every byte of the file is in memory. */
    public boolean complete() {
        return capturedBytes() == size;
    }

    /** Like {@code pread(2)}: may return fewer bytes than asked for, -1 at end of file. */
    int read(long position, ByteBuffer dst, String path) throws IOException {
        if (position >= size) {
            return -1;
        }
        for (Range r : ranges) {
            if (position >= r.offset && position < r.offset + r.bytes.length) {
                int from = (int) (position - r.offset);
                int n = Math.min(dst.remaining(), r.bytes.length - from);
                dst.put(r.bytes, from, n);
                return n;
            }
        }
        throw new IOException("byte " + position + " of " + path + " was not captured from the image layer (scan "
                + "keeps " + describeRanges() + " of this " + size + "-byte file)");
    }

    private String describeRanges() {
        if (ranges.isEmpty()) {
            return "no bytes";
        }
        StringBuilder sb = new StringBuilder();
        for (Range r : ranges) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append("bytes ").append(r.offset).append('-').append(r.offset + r.bytes.length - 1);
        }
        return sb.toString();
    }

    /** One contiguous run of captured bytes. */
    static final class Range {
        final long offset;
        final byte[] bytes;

        Range(long offset, byte[] bytes) {
            this.offset = offset;
            this.bytes = bytes;
        }
    }
}
