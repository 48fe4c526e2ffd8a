package io.execguard.core.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds small ELF files byte by byte: a valid static x86-64 or i386 program that exits 0, and every way to get one
 * wrong (other machine, class, byte order or type; bad program headers; PT_INTERP pointing anywhere; segments past
 * the end of the file). Layout: header, program headers, PT_INTERP string, code; one PT_LOAD maps the whole file.
 */
public final class ElfBuilder {
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;
    public static final int PT_LOAD = 1;
    public static final int PT_INTERP = 3;

    /** mov eax, 60; xor edi, edi; syscall - exit(0) on x86-64. */
    private static final byte[] EXIT_X86_64 = {(byte) 0xb8, 60, 0, 0, 0, 0x31, (byte) 0xff, 0x0f, 0x05};
    /** mov eax, 1; xor ebx, ebx; int 0x80 - exit(0) on i386. */
    private static final byte[] EXIT_I386 = {(byte) 0xb8, 1, 0, 0, 0, 0x31, (byte) 0xdb, (byte) 0xcd, (byte) 0x80};

    private record Segment(int type, int flags, long offset, long vaddr, long filesz, long memsz) {
    }

    private boolean is64 = true;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private int identClass = 2;
    private int identData = 1;
    private int type = ET_EXEC;
    private int machine = 62;
    private int flags;
    private byte[] code = EXIT_X86_64;
    private byte[] interp;
    private Integer phentsize;
    private Integer phnum;
    private Long phoff;
    private Long entry;
    private Integer truncate;
    private Integer interpSize;
    private boolean wholeFileLoad = true;
    private final List<Segment> extra = new ArrayList<>();
    private long base = 0x400000;

    /** A static x86-64 program that exits 0. */
    public static ElfBuilder x86_64() {
        return new ElfBuilder();
    }

    /** A static i386 program that exits 0 (runs only with IA32 emulation). */
    public static ElfBuilder i386() {
        ElfBuilder b = new ElfBuilder();
        b.is64 = false;
        b.identClass = 1;
        b.machine = 3;
        b.code = EXIT_I386;
        b.base = 0x08048000L;
        return b;
    }

    /** An ELF for another machine, with the class and byte order that machine uses. */
    public static ElfBuilder foreign(int machine, boolean is64, boolean bigEndian) {
        ElfBuilder b = new ElfBuilder();
        b.machine = machine;
        b.is64 = is64;
        b.identClass = is64 ? 2 : 1;
        b.identData = bigEndian ? 2 : 1;
        b.order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        b.code = new byte[16];
        b.base = is64 ? 0x400000 : 0x10000;
        return b;
    }

    public ElfBuilder type(int t) {
        this.type = t;
        return this;
    }

    public ElfBuilder machine(int m) {
        this.machine = m;
        return this;
    }

    public ElfBuilder flags(int f) {
        this.flags = f;
        return this;
    }

    /** Overrides e_ident[EI_CLASS] only (the layout stays). */
    public ElfBuilder identClass(int c) {
        this.identClass = c;
        return this;
    }

    public ElfBuilder phentsize(int v) {
        this.phentsize = v;
        return this;
    }

    public ElfBuilder phnum(int v) {
        this.phnum = v;
        return this;
    }

    public ElfBuilder phoff(long v) {
        this.phoff = v;
        return this;
    }

    public ElfBuilder entry(long v) {
        this.entry = v;
        return this;
    }

    /** A PT_INTERP with this path (NUL added). */
    public ElfBuilder interpreter(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        this.interp = Arrays.copyOf(p, p.length + 1);
        return this;
    }

    /** A PT_INTERP with exactly these bytes (no NUL added). */
    public ElfBuilder interpreterBytes(byte[] raw) {
        this.interp = raw.clone();
        return this;
    }

    /** Overrides PT_INTERP's p_filesz. */
    public ElfBuilder interpreterSize(int size) {
        this.interpSize = size;
        return this;
    }

    /** Cuts the built file to {@code length} bytes. */
    public ElfBuilder truncate(int length) {
        this.truncate = length;
        return this;
    }

    /** Drops the PT_LOAD that maps the file (then nothing is executable). */
    public ElfBuilder withoutLoad() {
        this.wholeFileLoad = false;
        return this;
    }

    /** Adds a segment; offsets and addresses are absolute. */
    public ElfBuilder segment(int type, int flags, long offset, long vaddr, long filesz, long memsz) {
        extra.add(new Segment(type, flags, offset, vaddr, filesz, memsz));
        return this;
    }

    /** Maps the file at {@code address} instead (a loader must not overlap the program it loads). */
    public ElfBuilder base(long address) {
        this.base = address;
        return this;
    }

    /** The virtual address the file is mapped at. */
    public long base() {
        return base;
    }

    public byte[] build() {
        int ehsize = is64 ? 64 : 52;
        int phent = is64 ? 56 : 32;
        int segments = (interp != null ? 1 : 0) + (wholeFileLoad ? 1 : 0) + extra.size();
        int phdrBytes = phent * segments;
        int interpOffset = ehsize + phdrBytes;
        int interpLength = interp == null ? 0 : interp.length;
        int codeOffset = align(interpOffset + interpLength, 16);
        int total = codeOffset + code.length;
        ByteBuffer b = ByteBuffer.allocate(total).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) identClass, (byte) identData, 1, 0});
        b.position(16);
        b.putShort((short) type).putShort((short) machine).putInt(1);
        long e = entry != null ? entry : base + codeOffset;
        long ph = phoff != null ? phoff : ehsize;
        if (is64) {
            b.putLong(e).putLong(ph).putLong(0);
        } else {
            b.putInt((int) e).putInt((int) ph).putInt(0);
        }
        b.putInt(flags).putShort((short) ehsize);
        b.putShort((short) (phentsize != null ? phentsize : phent));
        b.putShort((short) (phnum != null ? phnum : segments));
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.position(ehsize);
        if (interp != null) {
            long size = interpSize != null ? interpSize : interpLength;
            phdr(b, new Segment(PT_INTERP, 4, interpOffset, base + interpOffset, size, size));
        }
        if (wholeFileLoad) {
            phdr(b, new Segment(PT_LOAD, 5, 0, base, total, total));
        }
        for (Segment s : extra) {
            phdr(b, s);
        }
        if (interp != null) {
            b.position(interpOffset);
            b.put(interp);
        }
        b.position(codeOffset);
        b.put(code);
        byte[] out = b.array();
        return truncate != null ? Arrays.copyOf(out, truncate) : out;
    }

    private void phdr(ByteBuffer b, Segment s) {
        if (is64) {
            b.putInt(s.type).putInt(s.flags).putLong(s.offset).putLong(s.vaddr).putLong(s.vaddr)
                    .putLong(s.filesz).putLong(s.memsz).putLong(0x1000);
        } else {
            b.putInt(s.type).putInt((int) s.offset).putInt((int) s.vaddr).putInt((int) s.vaddr)
                    .putInt((int) s.filesz).putInt((int) s.memsz).putInt(s.flags).putInt(0x1000);
        }
    }

    private static int align(int v, int a) {
        return (v + a - 1) / a * a;
    }
}
