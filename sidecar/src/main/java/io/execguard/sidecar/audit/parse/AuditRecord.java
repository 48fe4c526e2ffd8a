package io.execguard.sidecar.audit.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One audit record: its type, the event stamp {@code audit(SECONDS.MILLIS:SERIAL)} it belongs to, an optional
 * {@code node=} name, and its {@code key=value} fields, kept as raw bytes and decoded only when asked for (quoted,
 * hex-encoded, {@code (null)} and {@code ?} handled by {@link AuditValues}). auditd's ENRICHED fields (after the
 * 0x1D separator) are kept apart from the kernel's. Immutable.
 */
public final class AuditRecord {
    private static final int MAX_KEYS = 256;
    private static final ConcurrentHashMap<String, byte[]> KEYS = new ConcurrentHashMap<>();

    private final int type;
    private final long seconds;
    private final int millis;
    private final long serial;
    private final String node;
    /** The field text is {@code body[start, end)}; body may be a whole chunk of a log, never written again. */
    private final byte[] body;
    private final int start;
    private final int end;
    /**
     * keyStart, keyEnd, valueStart, valueEnd per field, offsets into {@link #body}, then the index of the first
     * ENRICHED field. Computed on first use: most records of a busy log are never looked into, and a record may
     * be read by another thread than the one that parsed it (recomputing it there is harmless).
     */
    private int[] fieldIndex;

    AuditRecord(int type, long seconds, int millis, long serial, String node, byte[] body, int start, int end) {
        this.type = type;
        this.seconds = seconds;
        this.millis = millis;
        this.serial = serial;
        this.node = node;
        this.body = body;
        this.start = start;
        this.end = end;
    }

    /** The kernel's record type number, see {@link RecordType}. */
    public int type() {
        return type;
    }

    /** Seconds since the epoch of the event this record belongs to. */
    public long seconds() {
        return seconds;
    }

    /** The milliseconds part of the event's time stamp. */
    public int millis() {
        return millis;
    }

    /** The event's time stamp in milliseconds since the epoch. */
    public long epochMillis() {
        return seconds * 1000L + millis;
    }

    /** The event serial: records with the same time stamp and serial belong to one event. */
    public long serial() {
        return serial;
    }

    /** The {@code node=} name auditd prefixes when configured to; empty for netlink records. */
    public Optional<String> node() {
        return Optional.ofNullable(node);
    }

    /** How many kernel fields the record has (ENRICHED fields not counted). */
    public int fieldCount() {
        return enrichedFrom();
    }

    /** The decoded value of a kernel field; empty when missing, {@code (null)} or {@code ?}. */
    public Optional<String> field(String key) {
        int i = indexOf(key, 0, enrichedFrom());
        return i < 0 ? Optional.empty() : Optional.ofNullable(decode(i));
    }

    /** The decoded value of an auditd ENRICHED field such as {@code UID} or {@code SYSCALL}. */
    public Optional<String> enriched(String key) {
        int i = indexOf(key, enrichedFrom(), total());
        return i < 0 ? Optional.empty() : Optional.ofNullable(decode(i));
    }

    /** The raw bytes of a kernel field's value decoded (hex and quotes removed); empty when absent. */
    public Optional<byte[]> fieldBytes(String key) {
        int i = indexOf(key, 0, enrichedFrom());
        if (i < 0) {
            return Optional.empty();
        }
        int[] spans = spans();
        return Optional.ofNullable(AuditValues.decodeBytes(body, spans[4 * i + 2], spans[4 * i + 3],
                AuditValues.isUntrusted(type, body, spans[4 * i], spans[4 * i + 1])));
    }

    /**
     * A field read as a number without allocating: decimal, or hexadecimal when {@code radix} is 16 (as in
     * {@code arch=c000003e}); negative decimals allowed. Returns {@code absent} when the field is missing or
     * not a number.
     */
    public long number(String key, int radix, long absent) {
        int i = indexOf(key, 0, enrichedFrom());
        int[] spans = spans();
        return i < 0 ? absent : AuditValues.parseLong(body, spans[4 * i + 2], spans[4 * i + 3], radix, absent);
    }

    /** True when the field is present and its raw (undecoded) value is exactly {@code value}. */
    public boolean rawEquals(String key, String value) {
        int i = indexOf(key, 0, enrichedFrom());
        if (i < 0) {
            return false;
        }
        int[] spans = spans();
        int s = spans[4 * i + 2];
        int e = spans[4 * i + 3];
        if (e - s != value.length()) {
            return false;
        }
        for (int k = 0; k < value.length(); k++) {
            if (body[s + k] != value.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the record's raw text contains {@code ascii}: a pre-check that needs no field splitting (a
     * reader interested in {@code success=no} skips the many successful syscalls without tokenising them).
     */
    public boolean rawContains(String ascii) {
        return rawContains(AuditValues.ascii(ascii));
    }

    /** {@link #rawContains(String)} with the text already in bytes, for callers that test it often. */
    public boolean rawContains(byte[] ascii) {
        int n = ascii.length;
        byte first = ascii[0];
        for (int i = start, last = end - n; i <= last; i++) {
            if (body[i] == first && AuditValues.eq(body, i, ascii)) {
                return true;
            }
        }
        return false;
    }

    /** All kernel fields, decoded, in record order; for diagnostics and tests. */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0, n = enrichedFrom(); i < n; i++) {
            m.put(key(i), decode(i));
        }
        return m;
    }

    /** All ENRICHED fields, decoded, in record order. */
    public Map<String, String> enrichedFields() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = enrichedFrom(), n = total(); i < n; i++) {
            m.put(key(i), decode(i));
        }
        return m;
    }

    /** The record's field text as the kernel wrote it (without the {@code audit(...)} stamp). */
    public String text() {
        return new String(body, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * This record with its own copy of its bytes, when it refers to a bigger buffer (a chunk of a log parsed in
     * place); itself otherwise. A record that must outlive the buffer it was parsed from is detached first.
     */
    public AuditRecord detached() {
        if (start == 0 && end == body.length) {
            return this;
        }
        return new AuditRecord(type, seconds, millis, serial, node, Arrays.copyOfRange(body, start, end), 0,
                end - start);
    }

    /** True when both records carry the same type, stamp and field bytes (a re-delivered record). */
    public boolean sameAs(AuditRecord other) {
        return type == other.type && serial == other.serial && seconds == other.seconds && millis == other.millis
                && Arrays.equals(body, start, end, other.body, other.start, other.end);
    }

    @Override
    public String toString() {
        return "type=" + RecordType.name(type) + " msg=audit(" + seconds + "." + pad3(millis) + ":" + serial + "): "
                + text();
    }

    private static String pad3(int millis) {
        String s = Integer.toString(millis);
        return "000".substring(s.length()) + s;
    }

    private int[] spans() {
        int[] f = fieldIndex;
        if (f == null) {
            f = FieldTokenizer.tokenize(body, start, end);
            fieldIndex = f;
        }
        return f;
    }

    private int enrichedFrom() {
        int[] f = spans();
        return f[f.length - 1];
    }

    private int total() {
        return (spans().length - 1) / 4;
    }

    private String key(int i) {
        int[] spans = spans();
        return new String(body, spans[4 * i], spans[4 * i + 1] - spans[4 * i], StandardCharsets.ISO_8859_1);
    }

    private String decode(int i) {
        int[] spans = spans();
        return AuditValues.decode(body, spans[4 * i + 2], spans[4 * i + 3],
                AuditValues.isUntrusted(type, body, spans[4 * i], spans[4 * i + 1]));
    }

    /**
     * The key as bytes, to compare against without reading it a character at a time. Keys are constants of the
     * code, so their bytes are kept (up to a bound) instead of being copied out at every lookup.
     */
    private static byte[] keyBytes(String key) {
        byte[] k = KEYS.get(key);
        if (k == null) {
            k = key.getBytes(StandardCharsets.ISO_8859_1);
            if (KEYS.size() < MAX_KEYS) {
                KEYS.putIfAbsent(key, k);
            }
        }
        return k;
    }

    private int indexOf(String key, int from, int to) {
        byte[] k = keyBytes(key);
        int n = k.length;
        int[] spans = spans();
        for (int i = from; i < to; i++) {
            int s = spans[4 * i];
            if (spans[4 * i + 1] - s != n || n > 0 && body[s] != k[0]) {
                continue;
            }
            int j = 1;
            while (j < n && body[s + j] == k[j]) {
                j++;
            }
            if (j >= n) {
                return i;
            }
        }
        return -1;
    }
}
