package io.execguard.sidecar.audit.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns one audit record into an {@link AuditRecord}: either a netlink datagram's text
 * ({@code audit(1795716725.918:3): arch=c000003e ...}, type from the netlink header) or one line of an auditd
 * log ({@code [node=NAME ]type=SYSCALL msg=audit(...): ...}, optionally followed by auditd's ENRICHED fields after
 * a 0x1D byte). Works on bytes without regular expressions so that {@code execguard audit read} keeps up with
 * millions of lines a second; fields are
 * split only when first read. Stateless and thread-safe.
 */
public final class AuditRecordParser {
    private static final byte[] NODE = AuditValues.ascii("node=");
    private static final byte[] TYPE = AuditValues.ascii("type=");
    private static final byte[] MSG = AuditValues.ascii("msg=");
    private static final byte[] AUDIT = AuditValues.ascii("audit(");
    private static final byte[] CWD = AuditValues.ascii("CWD");
    private static final byte[] EOE = AuditValues.ascii("EOE");
    private static final byte[] PATH = AuditValues.ascii("PATH");
    private static final byte[] SYSCALL = AuditValues.ascii("SYSCALL");
    private static final byte[] PROCTITLE = AuditValues.ascii("PROCTITLE");

    /** Parses one log line (without or with its trailing newline). */
    public AuditRecord parseLogLine(String line) throws MalformedRecordException {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        return parseLogLine(b, 0, b.length);
    }

    /** Parses one log line held in {@code buf[off, off+len)}; the record keeps a copy of what it needs. */
    public AuditRecord parseLogLine(byte[] buf, int off, int len) throws MalformedRecordException {
        return parseLogLine(buf, off, len, false);
    }

    /**
     * Parses one log line held in {@code buf[off, off+len)} without copying it: the record refers to {@code buf},
     * which the caller must never change afterwards (a chunk of a file read once, as {@code audit read} does).
     */
    public AuditRecord parseLogLineInPlace(byte[] buf, int off, int len) throws MalformedRecordException {
        return parseLogLine(buf, off, len, true);
    }

    private AuditRecord parseLogLine(byte[] buf, int off, int len, boolean inPlace)
            throws MalformedRecordException {
        int end = trimEnd(buf, off, off + len);
        int i = off;
        String node = null;
        if (startsWith(buf, i, end, NODE)) {
            int sp = indexOf(buf, i, end, (byte) ' ');
            if (sp < 0) {
                throw new MalformedRecordException("node= without a record after it");
            }
            node = new String(buf, i + 5, sp - i - 5, StandardCharsets.ISO_8859_1);
            i = sp + 1;
        }
        if (!startsWith(buf, i, end, TYPE)) {
            throw new MalformedRecordException("no type= at the start of the line");
        }
        int sp = indexOf(buf, i, end, (byte) ' ');
        if (sp < 0) {
            throw new MalformedRecordException("no msg= after type=");
        }
        int type = typeOf(buf, i + 5, sp);
        if (type < 0) {
            throw new MalformedRecordException("unknown record type "
                    + new String(buf, i + 5, sp - i - 5, StandardCharsets.ISO_8859_1));
        }
        i = sp + 1;
        if (!startsWith(buf, i, end, MSG)) {
            throw new MalformedRecordException("no msg= after type=");
        }
        return parseStamped(type, node, buf, i + 4, end, inPlace);
    }

    /** Parses the text of a netlink datagram of the given type. */
    public AuditRecord parseNetlink(int type, String text) throws MalformedRecordException {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return parseNetlink(type, b, 0, b.length);
    }

    /** Parses the text of a netlink datagram held in {@code buf[off, off+len)}. */
    public AuditRecord parseNetlink(int type, byte[] buf, int off, int len) throws MalformedRecordException {
        return parseStamped(type, null, buf, off, trimEnd(buf, off, off + len), false);
    }

    private AuditRecord parseStamped(int type, String node, byte[] buf, int i, int end, boolean inPlace)
            throws MalformedRecordException {
        if (!startsWith(buf, i, end, AUDIT)) {
            throw new MalformedRecordException("no audit( stamp");
        }
        i += 6;
        long seconds = 0;
        int start = i;
        while (i < end && isDigit(buf[i])) {
            seconds = seconds * 10 + (buf[i++] - '0');
        }
        if (i == start || i >= end || buf[i] != '.') {
            throw new MalformedRecordException("bad time stamp in audit( stamp");
        }
        i++;
        int millis = 0;
        start = i;
        while (i < end && isDigit(buf[i])) {
            millis = millis * 10 + (buf[i++] - '0');
        }
        if (i == start || i - start > 3 || i >= end || buf[i] != ':') {
            throw new MalformedRecordException("bad milliseconds in audit( stamp");
        }
        i++;
        long serial = 0;
        start = i;
        while (i < end && isDigit(buf[i])) {
            serial = serial * 10 + (buf[i++] - '0');
        }
        if (i == start || i >= end || buf[i] != ')') {
            throw new MalformedRecordException("bad serial in audit( stamp");
        }
        i++;
        if (i < end && buf[i] == ':') {
            i++;
        }
        while (i < end && buf[i] == ' ') {
            i++;
        }
        if (inPlace) {
            return new AuditRecord(type, seconds, millis, serial, node, buf, i, end);
        }
        return new AuditRecord(type, seconds, millis, serial, node, Arrays.copyOfRange(buf, i, end), 0, end - i);
    }

    private static int typeOf(byte[] b, int s, int e) {
        switch (e - s) {
            case 3:
                if (AuditValues.eq(b, s, CWD)) {
                    return RecordType.CWD;
                }
                if (AuditValues.eq(b, s, EOE)) {
                    return RecordType.EOE;
                }
                break;
            case 4:
                if (AuditValues.eq(b, s, PATH)) {
                    return RecordType.PATH;
                }
                break;
            case 7:
                if (AuditValues.eq(b, s, SYSCALL)) {
                    return RecordType.SYSCALL;
                }
                break;
            case 9:
                if (AuditValues.eq(b, s, PROCTITLE)) {
                    return RecordType.PROCTITLE;
                }
                break;
            default:
                break;
        }
        return RecordType.byName(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
    }

    private static int trimEnd(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == '\n' || b[e - 1] == '\r' || b[e - 1] == 0)) {
            e--;
        }
        return e;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean startsWith(byte[] b, int s, int e, byte[] ascii) {
        return e - s >= ascii.length && AuditValues.eq(b, s, ascii);
    }

    private static int indexOf(byte[] b, int s, int e, byte c) {
        for (int i = s; i < e; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
