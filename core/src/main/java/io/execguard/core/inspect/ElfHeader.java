package io.execguard.core.inspect;

import java.nio.ByteOrder;

/**
 * An ELF file header ({@code Elf32_Ehdr} / {@code Elf64_Ehdr}) decoded with a given layout and byte order. The
 * engine decodes the same bytes twice: once as the file declares itself (EI_CLASS, EI_DATA), to describe it, and once
 * the way the target kernel reads it (its own word size and byte order, whatever the file declares), to predict
 * execve. Immutable; parsing never fails because missing bytes read as zero, exactly like the kernel's buffer.
 */
public final class ElfHeader {
    /** Size of {@code Elf32_Ehdr}. */
    public static final int SIZE_32 = 52;
    /** Size of {@code Elf64_Ehdr}. */
    public static final int SIZE_64 = 64;

    public static final int ET_NONE = 0;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    private final boolean is64;
    private final ByteOrder order;
    private final int identClass;
    private final int identData;
    private final int osAbi;
    private final int type;
    private final int machine;
    private final long entry;
    private final long phoff;
    private final long shoff;
    private final int flags;
    private final int phentsize;
    private final int phnum;
    private final int shentsize;
    private final int shnum;
    private final int shstrndx;

    private ElfHeader(byte[] b, boolean is64, ByteOrder order) {
        this.is64 = is64;
        this.order = order;
        this.identClass = Bytes.u8(b, 4);
        this.identData = Bytes.u8(b, 5);
        this.osAbi = Bytes.u8(b, 7);
        this.type = Bytes.u16(b, 16, order);
        this.machine = Bytes.u16(b, 18, order);
        if (is64) {
            entry = Bytes.u64(b, 24, order);
            phoff = Bytes.u64(b, 32, order);
            shoff = Bytes.u64(b, 40, order);
            flags = (int) Bytes.u32(b, 48, order);
            phentsize = Bytes.u16(b, 54, order);
            phnum = Bytes.u16(b, 56, order);
            shentsize = Bytes.u16(b, 58, order);
            shnum = Bytes.u16(b, 60, order);
            shstrndx = Bytes.u16(b, 62, order);
        } else {
            entry = Bytes.u32(b, 24, order);
            phoff = Bytes.u32(b, 28, order);
            shoff = Bytes.u32(b, 32, order);
            flags = (int) Bytes.u32(b, 36, order);
            phentsize = Bytes.u16(b, 42, order);
            phnum = Bytes.u16(b, 44, order);
            shentsize = Bytes.u16(b, 46, order);
            shnum = Bytes.u16(b, 48, order);
            shstrndx = Bytes.u16(b, 50, order);
        }
    }

    /** True when {@code b} starts with {@code \177ELF}. */
    public static boolean hasMagic(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** Decodes {@code b} (at least the header's size; shorter arrays read as zero-padded) with the given layout. */
    public static ElfHeader parse(byte[] b, boolean is64, ByteOrder order) {
        return new ElfHeader(b, is64, order);
    }

    /** Decodes {@code b} as the file declares itself; an invalid EI_CLASS or EI_DATA falls back to 64-bit / LSB. */
    public static ElfHeader parseDeclared(byte[] b) {
        return new ElfHeader(b, Bytes.u8(b, 4) != 1, Bytes.u8(b, 5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    public boolean is64() {
        return is64;
    }

    public ByteOrder order() {
        return order;
    }

    /** e_ident[EI_CLASS]: 1 = 32-bit, 2 = 64-bit. */
    public int identClass() {
        return identClass;
    }

    /** e_ident[EI_DATA]: 1 = little-endian, 2 = big-endian. */
    public int identData() {
        return identData;
    }

    public int osAbi() {
        return osAbi;
    }

    public int type() {
        return type;
    }

    public int machine() {
        return machine;
    }

    /** e_entry, unsigned. */
    public long entry() {
        return entry;
    }

    /** e_phoff, unsigned. */
    public long phoff() {
        return phoff;
    }

    /** e_shoff, unsigned. */
    public long shoff() {
        return shoff;
    }

    public int flags() {
        return flags;
    }

    public int phentsize() {
        return phentsize;
    }

    public int phnum() {
        return phnum;
    }

    public int shentsize() {
        return shentsize;
    }

    public int shnum() {
        return shnum;
    }

    public int shstrndx() {
        return shstrndx;
    }

    /** The size of one program header in this layout (56 or 32), which the kernel demands of e_phentsize. */
    public int expectedPhentsize() {
        return is64 ? ProgramHeader.SIZE_64 : ProgramHeader.SIZE_32;
    }

    /** {@code ELF32}, {@code ELF64} or {@code invalid class N}, from e_ident. */
    public String className() {
        switch (identClass) {
            case 1:
                return "ELF32";
            case 2:
                return "ELF64";
            default:
                return "invalid class " + identClass;
        }
    }

    /** {@code LSB}, {@code MSB} or {@code invalid data N}, from e_ident. */
    public String dataName() {
        switch (identData) {
            case 1:
                return "LSB";
            case 2:
                return "MSB";
            default:
                return "invalid data " + identData;
        }
    }

    /** {@code EXEC}, {@code DYN}, {@code REL}, {@code CORE}, {@code NONE} or {@code 0xNNNN}. */
    public String typeName() {
        return typeName(type);
    }

    /** The readelf-style short name of an e_type value. */
    public static String typeName(int type) {
        switch (type) {
            case ET_NONE:
                return "NONE";
            case ET_REL:
                return "REL";
            case ET_EXEC:
                return "EXEC";
            case ET_DYN:
                return "DYN";
            case ET_CORE:
                return "CORE";
            default:
                return String.format("0x%04x", type);
        }
    }

    @Override
    public String toString() {
        return className() + " " + dataName() + " " + typeName() + " e_machine=" + machine;
    }
}
