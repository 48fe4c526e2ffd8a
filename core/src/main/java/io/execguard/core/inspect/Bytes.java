package io.execguard.core.inspect;

import java.nio.ByteOrder;

/** Unsigned little/big-endian reads from byte arrays; bytes past the end read as zero, like a zero-padded buffer. */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] b, int i) {
        return i >= 0 && i < b.length ? b[i] & 0xff : 0;
    }

    static int u16(byte[] b, int i, ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
    }

    static long u32(byte[] b, int i, ByteOrder order) {
        long lo = u16(b, order == ByteOrder.LITTLE_ENDIAN ? i : i + 2, order);
        long hi = u16(b, order == ByteOrder.LITTLE_ENDIAN ? i + 2 : i, order);
        return hi << 16 | lo;
    }

    /** An unsigned 64-bit value; values of 2^63 and more are negative in Java: compare with Long.compareUnsigned. */
    static long u64(byte[] b, int i, ByteOrder order) {
        long lo = u32(b, order == ByteOrder.LITTLE_ENDIAN ? i : i + 4, order);
        long hi = u32(b, order == ByteOrder.LITTLE_ENDIAN ? i + 4 : i, order);
        return hi << 32 | lo;
    }

    /** True when {@code b} holds {@code prefix} at {@code offset}. */
    static boolean startsWith(byte[] b, int offset, byte[] prefix) {
        if (offset < 0 || offset + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
