package io.execguard.sidecar.audit.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How the kernel encodes field values: strings it considers untrusted (names, paths, comm, exe, proctitle,
 * key, execve arguments) are written {@code "quoted"} when they are printable ASCII without a space or quote,
 * and as upper-case hex otherwise ({@code audit_log_n_untrustedstring}); {@code (null)} and {@code ?} mean
 * absent. Other values are written as they are.
 */
public final class AuditValues {
    private static final byte[] K_ACCT = ascii("acct");
    private static final byte[] K_CMD = ascii("cmd");
    private static final byte[] K_COMM = ascii("comm");
    private static final byte[] K_CWD = ascii("cwd");
    private static final byte[] K_DATA = ascii("data");
    private static final byte[] K_DIR = ascii("dir");
    private static final byte[] K_EXE = ascii("exe");
    private static final byte[] K_FILE = ascii("file");
    private static final byte[] K_KEY = ascii("key");
    private static final byte[] K_NAME = ascii("name");
    private static final byte[] K_NEW = ascii("new");
    private static final byte[] K_OLD = ascii("old");
    private static final byte[] K_PATH = ascii("path");
    private static final byte[] K_PROCTITLE = ascii("proctitle");
    private static final byte[] NULL = ascii("(null)");
    private AuditValues() {
    }

    /**
     * Decodes a value span to text (UTF-8; hex decoded when the field is untrusted and unquoted). Returns null
     * for absent values ({@code (null)}, {@code ?}, empty).
     */
    static String decode(byte[] b, int s, int e, boolean untrusted) {
        if (isAbsent(b, s, e)) {
            return null;
        }
        if (e - s >= 2 && (b[s] == '"' && b[e - 1] == '"' || b[s] == '\'' && b[e - 1] == '\'')) {
            return text(b, s + 1, e - 1);
        }
        if (untrusted && isHex(b, s, e)) {
            byte[] raw = hex(b, s, e);
            return text(raw, 0, raw.length);
        }
        return text(b, s, e);
    }

    /** Like {@link #decode} but returns the raw bytes (for proctitle argv, which is NUL-separated). */
    static byte[] decodeBytes(byte[] b, int s, int e, boolean untrusted) {
        if (isAbsent(b, s, e)) {
            return null;
        }
        if (e - s >= 2 && (b[s] == '"' && b[e - 1] == '"' || b[s] == '\'' && b[e - 1] == '\'')) {
            return java.util.Arrays.copyOfRange(b, s + 1, e - 1);
        }
        if (untrusted && isHex(b, s, e)) {
            return hex(b, s, e);
        }
        return java.util.Arrays.copyOfRange(b, s, e);
    }

    /**
     * Splits a decoded proctitle into its arguments. The kernel copies the caller's argument area (up to 128
     * bytes), NUL-separated; a trailing NUL or a cut-off last argument is tolerated.
     */
    public static List<String> argv(byte[] proctitle) {
        if (proctitle == null || proctitle.length == 0) {
            return Collections.emptyList();
        }
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= proctitle.length; i++) {
            if (i == proctitle.length || proctitle[i] == 0) {
                if (i > start || i < proctitle.length) {
                    args.add(text(proctitle, start, i));
                }
                start = i + 1;
            }
        }
        if (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) {
            args.remove(args.size() - 1);
        }
        return args;
    }

    /** Whether the kernel writes this field of this record type as an untrusted (possibly hex) string. */
    static boolean isUntrusted(int type, byte[] b, int ks, int ke) {
        int n = ke - ks;
        if (type == RecordType.EXECVE && n >= 2 && b[ks] == 'a' && isDigits(b, ks + 1, ke)) {
            return true;
        }
        switch (n) {
            case 3:
                return eq(b, ks, K_EXE) || eq(b, ks, K_CWD) || eq(b, ks, K_KEY) || eq(b, ks, K_CMD)
                        || eq(b, ks, K_DIR) || eq(b, ks, K_OLD) || eq(b, ks, K_NEW);
            case 4:
                return eq(b, ks, K_NAME) || eq(b, ks, K_COMM) || eq(b, ks, K_PATH) || eq(b, ks, K_ACCT)
                        || eq(b, ks, K_DATA) || eq(b, ks, K_FILE);
            case 9:
                return eq(b, ks, K_PROCTITLE);
            default:
                return false;
        }
    }

    static long parseLong(byte[] b, int s, int e, int radix, long absent) {
        if (s >= e) {
            return absent;
        }
        boolean neg = b[s] == '-';
        int i = neg ? s + 1 : s;
        if (i >= e) {
            return absent;
        }
        long v = 0;
        for (; i < e; i++) {
            int d = digit(b[i], radix);
            if (d < 0) {
                return absent;
            }
            v = v * radix + d;
        }
        return neg ? -v : v;
    }

    private static int digit(byte c, int radix) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (radix == 16) {
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
        }
        return -1;
    }

    private static boolean isAbsent(byte[] b, int s, int e) {
        int n = e - s;
        return n == 0 || n == 1 && b[s] == '?' || n == 6 && eq(b, s, NULL);
    }

    private static boolean isHex(byte[] b, int s, int e) {
        if ((e - s) % 2 != 0) {
            return false;
        }
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(byte[] b, int s, int e) {
        byte[] out = new byte[(e - s) / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(b[s + 2 * i], 16) << 4 | digit(b[s + 2 * i + 1], 16));
        }
        return out;
    }

    private static boolean isDigits(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return s < e;
    }

    /** True when {@code b} holds {@code ascii} at {@code s}. */
    static boolean eq(byte[] b, int s, byte[] ascii) {
        if (s + ascii.length > b.length) {
            return false;
        }
        for (int i = 0; i < ascii.length; i++) {
            if (b[s + i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an ASCII constant, to compare against without going through String. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] < 0) {
                return new String(b, s, e - s, StandardCharsets.UTF_8);
            }
        }
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }
}
