package io.execguard.sidecar.audit.source;

import java.util.Arrays;

/**
 * Cuts a byte stream into lines, carrying an unfinished last line over to the next chunk. Lines longer than
 * {@link #MAX_LINE} (no audit record comes close) are delivered cut, so garbage without newlines cannot grow the
 * buffer without bound.
 */
public final class Lines {
    public static final int MAX_LINE = 1 << 20;
    private byte[] carry = new byte[16384];
    private int carried;
    private boolean skipping;

    /** Drops everything up to and including the next newline (when starting in the middle of a line). */
    public void skipFirstLine() {
        skipping = true;
    }

    /** Feeds {@code buf[off, off+len)} and delivers every line it completes. */
    public void feed(byte[] buf, int off, int len, LineSink sink) {
        int end = off + len;
        int start = off;
        if (skipping) {
            int nl = indexOfNewline(buf, off, end);
            if (nl < 0) {
                return;
            }
            skipping = false;
            start = nl + 1;
        }
        for (int i = indexOfNewline(buf, off, end); i >= 0; i = indexOfNewline(buf, start, end)) {
            if (carried > 0) {
                append(buf, start, i - start);
                sink.line(carry, 0, carried);
                carried = 0;
            } else if (i > start) {
                sink.line(buf, start, i - start);
            }
            start = i + 1;
        }
        if (start < end) {
            append(buf, start, end - start);
            if (carried >= MAX_LINE) {
                sink.line(carry, 0, carried);
                carried = 0;
            }
        }
    }

    /** Delivers an unfinished last line (the file will not grow any more). */
    public void finish(LineSink sink) {
        if (carried > 0) {
            sink.line(carry, 0, carried);
            carried = 0;
        }
    }

    /** Bytes of an unfinished line held back. */
    public int carried() {
        return carried;
    }

    private void append(byte[] buf, int off, int len) {
        if (carried + len > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carried + len));
        }
        System.arraycopy(buf, off, carry, carried, len);
        carried += len;
    }

    private static int indexOfNewline(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
