package io.execguard.core.inspect;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a file that is neither ELF nor a {@code #!} script is, from its magic numbers (exec-failures.md, section 4):
 * foreign executables, archives, compressed data, documents, and the text-encoding mistakes that hide a {@code #!}.
 * Only the head of the file is examined, plus at most a few bytes of the PE header. Immutable.
 */
public final class FileSignature {
    /** The recognised kinds, most specific first. */
    public enum Kind {
        EMPTY, PE, MACH_O, MACH_O_UNIVERSAL, JAVA_CLASS, ZIP, JAR, TAR, GZIP, XZ, ZSTD, BZIP2, WASM, PYTHON_BYTECODE,
        GIT_LFS_POINTER, HTML, XML, JSON, UTF8_BOM_SCRIPT, UTF16_TEXT, SHEBANG_NOT_FIRST, TEXT, ZEROS, BINARY
    }

    private static final byte[] LFS = Bytes.ascii("version https://git-lfs.github.com/spec/v1");
    private static final byte[] LFS_OLD = Bytes.ascii("version https://hawser.github.com/spec/v1");

    private final Kind kind;
    private final Map<String, String> details;

    private FileSignature(Kind kind, Map<String, String> details) {
        this.kind = kind;
        this.details = Collections.unmodifiableMap(details);
    }

    private static FileSignature of(Kind kind) {
        return new FileSignature(kind, new LinkedHashMap<>());
    }

    private static FileSignature of(Kind kind, String key, String value) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(key, value);
        return new FileSignature(kind, d);
    }

    public Kind kind() {
        return kind;
    }

    /** Facts about the format, e.g. {@code format=PE, machine=x86-64}, {@code oid=sha256:...}. Ordered. */
    public Map<String, String> details() {
        return details;
    }

    /** Recognises the head of the file read by {@code reader}. */
    public static FileSignature detect(BoundedReader reader) throws IOException {
        if (reader.size() == 0) {
            return of(Kind.EMPTY);
        }
        byte[] h = reader.head();
        FileSignature binary = detectBinary(reader, h);
        return binary != null ? binary : detectText(h);
    }

    private static FileSignature detectBinary(BoundedReader reader, byte[] h) throws IOException {
        if (starts(h, 'M', 'Z')) {
            FileSignature pe = pe(reader, h);
            if (pe != null) {
                return pe;
            }
        }
        if (starts(h, 0xfe, 0xed, 0xfa, 0xce) || starts(h, 0xfe, 0xed, 0xfa, 0xcf)) {
            return machO(h, ByteOrder.BIG_ENDIAN, h[3] == (byte) 0xcf);
        }
        if (starts(h, 0xce, 0xfa, 0xed, 0xfe) || starts(h, 0xcf, 0xfa, 0xed, 0xfe)) {
            return machO(h, ByteOrder.LITTLE_ENDIAN, h[0] == (byte) 0xcf);
        }
        if (starts(h, 0xca, 0xfe, 0xba, 0xbe) || starts(h, 0xca, 0xfe, 0xba, 0xbf)) {
            return cafebabe(h);
        }
        if (starts(h, 'P', 'K', 3, 4) || starts(h, 'P', 'K', 5, 6) || starts(h, 'P', 'K', 7, 8)) {
            return zip(h);
        }
        if (h.length >= 262 && Bytes.startsWith(h, 257, Bytes.ascii("ustar"))) {
            return of(Kind.TAR, "format", "tar");
        }
        if (starts(h, 0x1f, 0x8b)) {
            return of(Kind.GZIP, "format", "gzip");
        }
        if (starts(h, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            return of(Kind.XZ, "format", "xz");
        }
        if (starts(h, 0x28, 0xb5, 0x2f, 0xfd)) {
            return of(Kind.ZSTD, "format", "zstd");
        }
        if (starts(h, 'B', 'Z', 'h') && h.length > 3 && h[3] >= '1' && h[3] <= '9') {
            return of(Kind.BZIP2, "format", "bzip2");
        }
        if (starts(h, 0, 'a', 's', 'm')) {
            return of(Kind.WASM, "format", "wasm");
        }
        if (isPythonBytecode(h)) {
            return of(Kind.PYTHON_BYTECODE, "magic", String.valueOf(Bytes.u16(h, 0, ByteOrder.LITTLE_ENDIAN)));
        }
        return null;
    }

    private static FileSignature pe(BoundedReader reader, byte[] h) throws IOException {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("format", "PE");
        long lfanew = Bytes.u32(h, 0x3c, ByteOrder.LITTLE_ENDIAN);
        if (lfanew > 0 && lfanew < BoundedReader.MAX_BYTES / 2) {
            byte[] pe = reader.read(lfanew, 6);
            if (pe.length == 6 && starts(pe, 'P', 'E', 0, 0)) {
                d.put("machine", peMachine(Bytes.u16(pe, 4, ByteOrder.LITTLE_ENDIAN)));
                return new FileSignature(Kind.PE, d);
            }
        }
        if (looksLikeText(h)) {
            return null;
        }
        d.put("format", "MS-DOS");
        return new FileSignature(Kind.PE, d);
    }

    private static String peMachine(int m) {
        switch (m) {
            case 0x14c:
                return "i386";
            case 0x8664:
                return "x86-64";
            case 0xaa64:
                return "ARM64";
            case 0x1c0:
            case 0x1c4:
                return "ARM";
            case 0x200:
                return "IA-64";
            case 0x5064:
                return "RISC-V 64";
            default:
                return String.format("0x%04x", m);
        }
    }

    private static FileSignature machO(byte[] h, ByteOrder order, boolean is64) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("format", is64 ? "Mach-O 64-bit" : "Mach-O");
        d.put("machine", machOCpu(Bytes.u32(h, 4, order)));
        return new FileSignature(Kind.MACH_O, d);
    }

    /**
     * CAFEBABE starts both a universal Mach-O and a Java class: the next 32-bit big-endian word is the Mach-O
     * architecture count (1 to 19 in practice) or the class file's minor/major version (major 45 and up), which is how
     * {@code file(1)} tells them apart.
     */
    private static FileSignature cafebabe(byte[] h) {
        long next = Bytes.u32(h, 4, ByteOrder.BIG_ENDIAN);
        boolean fat64 = h[3] == (byte) 0xbf;
        if (fat64 || (next > 0 && next < 20)) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("format", fat64 ? "Mach-O universal (64-bit offsets)" : "Mach-O universal");
            List<String> cpus = new ArrayList<>();
            int entry = fat64 ? 32 : 20;
            for (int i = 0; i < next && i < 19 && 8 + (i + 1) * entry <= h.length; i++) {
                cpus.add(machOCpu(Bytes.u32(h, 8 + i * entry, ByteOrder.BIG_ENDIAN)));
            }
            d.put("machine", String.join(", ", cpus));
            return new FileSignature(Kind.MACH_O_UNIVERSAL, d);
        }
        int major = Bytes.u16(h, 6, ByteOrder.BIG_ENDIAN);
        Map<String, String> d = new LinkedHashMap<>();
        d.put("format", "Java class");
        d.put("class_version", major + "." + Bytes.u16(h, 4, ByteOrder.BIG_ENDIAN));
        if (major >= 45) {
            d.put("java_version", String.valueOf(major <= 48 ? 1 : major - 44));
        }
        return new FileSignature(Kind.JAVA_CLASS, d);
    }

    private static String machOCpu(long cpu) {
        switch ((int) cpu) {
            case 7:
                return "i386";
            case 0x01000007:
                return "x86_64";
            case 12:
                return "arm";
            case 0x0100000c:
                return "arm64";
            case 0x0200000c:
                return "arm64_32";
            case 18:
                return "ppc";
            case 0x01000012:
                return "ppc64";
            default:
                return String.format("cputype 0x%x", cpu);
        }
    }

    private static FileSignature zip(byte[] h) {
        int nameLength = Bytes.u16(h, 26, ByteOrder.LITTLE_ENDIAN);
        int extraLength = Bytes.u16(h, 28, ByteOrder.LITTLE_ENDIAN);
        String name = h.length >= 30 + nameLength
                ? new String(h, 30, nameLength, StandardCharsets.ISO_8859_1) : "";
        // jar tools write META-INF/ first, and the JarOutputStream marks the first entry with the 0xCAFE extra field.
        boolean jar = name.startsWith("META-INF/")
                || (extraLength >= 4 && Bytes.u16(h, 30 + nameLength, ByteOrder.LITTLE_ENDIAN) == 0xcafe);
        return of(jar ? Kind.JAR : Kind.ZIP, "format", jar ? "jar" : "zip");
    }

    /**
     * A 2-byte magic number then CR LF. CPython 3 magics are 2900-3999 and CPython 2.0-2.7 ones 50000-62299: both
     * put a byte no text file has at offset 1, so "ab\r\n..." text never matches.
     */
    private static boolean isPythonBytecode(byte[] h) {
        if (h.length < 4 || h[2] != '\r' || h[3] != '\n') {
            return false;
        }
        int magic = Bytes.u16(h, 0, ByteOrder.LITTLE_ENDIAN);
        return (magic >= 2900 && magic < 4000) || (magic >= 50000 && magic < 62300);
    }

    private static FileSignature detectText(byte[] h) {
        if (starts(h, 0xff, 0xfe) || starts(h, 0xfe, 0xff) || starts(h, '#', 0, '!', 0) || starts(h, 0, '#', 0, '!')) {
            return utf16(h);
        }
        if (starts(h, 0xef, 0xbb, 0xbf, '#', '!')) {
            return of(Kind.UTF8_BOM_SCRIPT, "encoding", "UTF-8 with BOM");
        }
        int start = skipBomAndSpace(h);
        if (Bytes.startsWith(h, start, LFS) || Bytes.startsWith(h, start, LFS_OLD)) {
            return lfs(h);
        }
        String lower = new String(h, start, Math.min(h.length - start, 64), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.startsWith("<head")
                || lower.startsWith("<body") || lower.startsWith("<title")) {
            return of(Kind.HTML, "format", "HTML");
        }
        if (lower.startsWith("<?xml")) {
            boolean xhtml = new String(h, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("<html");
            return xhtml ? of(Kind.HTML, "format", "XHTML") : of(Kind.XML, "format", "XML");
        }
        if (looksLikeJson(h, start)) {
            return of(Kind.JSON, "format", "JSON");
        }
        if (allZero(h)) {
            return of(Kind.ZEROS);
        }
        if (!looksLikeText(h)) {
            return of(Kind.BINARY);
        }
        int shebangLine = laterShebangLine(h);
        if (shebangLine > 0) {
            return of(Kind.SHEBANG_NOT_FIRST, "line", String.valueOf(shebangLine));
        }
        if (start < h.length && h[start] == '!' && start + 1 < h.length && h[start + 1] == '/') {
            return of(Kind.SHEBANG_NOT_FIRST, "line", "1");
        }
        return of(Kind.TEXT);
    }

    private static FileSignature utf16(byte[] h) {
        boolean bigEndian = starts(h, 0xfe, 0xff) || starts(h, 0, '#');
        int from = starts(h, 0xff, 0xfe) || starts(h, 0xfe, 0xff) ? 2 : 0;
        StringBuilder text = new StringBuilder();
        for (int i = from; i + 1 < h.length && text.length() < 2; i += 2) {
            text.append((char) (bigEndian ? (h[i] & 0xff) << 8 | (h[i + 1] & 0xff) : (h[i + 1] & 0xff) << 8 | (h[i] & 0xff)));
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("encoding", bigEndian ? "UTF-16BE" : "UTF-16LE");
        d.put("shebang", String.valueOf(text.toString().equals("#!")));
        return new FileSignature(Kind.UTF16_TEXT, d);
    }

    private static FileSignature lfs(byte[] h) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("format", "Git LFS pointer");
        for (String line : new String(h, StandardCharsets.ISO_8859_1).split("\n")) {
            if (line.startsWith("oid ")) {
                d.put("oid", line.substring(4).trim());
            } else if (line.startsWith("size ")) {
                d.put("size", line.substring(5).trim());
            }
        }
        return new FileSignature(Kind.GIT_LFS_POINTER, d);
    }

    private static int skipBomAndSpace(byte[] h) {
        int i = starts(h, 0xef, 0xbb, 0xbf) ? 3 : 0;
        while (i < h.length && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n')) {
            i++;
        }
        return i;
    }

    private static boolean looksLikeJson(byte[] h, int start) {
        if (start >= h.length || (h[start] != '{' && h[start] != '[')) {
            return false;
        }
        int i = start + 1;
        while (i < h.length && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n')) {
            i++;
        }
        if (i >= h.length) {
            return true;
        }
        byte c = h[i];
        if (h[start] == '{') {
            return c == '"' || c == '}';
        }
        return c == '{' || c == '[' || c == '"' || c == ']' || c == '-' || (c >= '0' && c <= '9')
                || c == 't' || c == 'f' || c == 'n';
    }

    /** The 1-based number of a later line that starts (after blanks) with {@code #!}, or 0. */
    private static int laterShebangLine(byte[] h) {
        int line = 1;
        boolean atLineStart = true;
        for (int i = 0; i + 1 < h.length; i++) {
            if (atLineStart && h[i] == '#' && h[i + 1] == '!' && !(line == 1 && i == 0)) {
                return line;
            }
            if (h[i] == '\n') {
                line++;
                atLineStart = true;
            } else if (h[i] != ' ' && h[i] != '\t' && h[i] != '\r' && !(i < 3 && (h[i] & 0xff) >= 0xbb)) {
                atLineStart = false;
            }
        }
        return 0;
    }

    /** Printable UTF-8 or ASCII text: no NUL and few control characters. */
    static boolean looksLikeText(byte[] h) {
        int control = 0;
        for (byte x : h) {
            int c = x & 0xff;
            if (c == 0) {
                return false;
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) {
                control++;
            }
        }
        return control * 20 <= h.length;
    }

    private static boolean allZero(byte[] h) {
        for (byte x : h) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean starts(byte[] h, int... prefix) {
        if (h.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((h[i] & 0xff) != (prefix[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return kind + " " + details;
    }
}
