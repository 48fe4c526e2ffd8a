package io.execguard.core.inspect;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One ELF program header ({@code Elf32_Phdr} / {@code Elf64_Phdr}). Immutable; unsigned fields are kept as longs. */
public final class ProgramHeader {
    public static final int SIZE_32 = 32;
    public static final int SIZE_64 = 56;

    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PF_X = 1;
    public static final int PF_W = 2;

    private final int type;
    private final int flags;
    private final long offset;
    private final long vaddr;
    private final long filesz;
    private final long memsz;

    private ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz) {
        this.type = type;
        this.flags = flags;
        this.offset = offset;
        this.vaddr = vaddr;
        this.filesz = filesz;
        this.memsz = memsz;
    }

    /** Decodes {@code count} consecutive program headers from {@code b} (missing bytes read as zero). */
    public static List<ProgramHeader> parseAll(byte[] b, int count, boolean is64, ByteOrder order) {
        List<ProgramHeader> out = new ArrayList<>(count);
        int size = is64 ? SIZE_64 : SIZE_32;
        for (int i = 0; i < count; i++) {
            out.add(parse(b, i * size, is64, order));
        }
        return Collections.unmodifiableList(out);
    }

    private static ProgramHeader parse(byte[] b, int at, boolean is64, ByteOrder order) {
        if (is64) {
            return new ProgramHeader((int) Bytes.u32(b, at, order), (int) Bytes.u32(b, at + 4, order),
                    Bytes.u64(b, at + 8, order), Bytes.u64(b, at + 16, order), Bytes.u64(b, at + 32, order),
                    Bytes.u64(b, at + 40, order));
        }
        return new ProgramHeader((int) Bytes.u32(b, at, order), (int) Bytes.u32(b, at + 24, order),
                Bytes.u32(b, at + 4, order), Bytes.u32(b, at + 8, order), Bytes.u32(b, at + 16, order),
                Bytes.u32(b, at + 20, order));
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    /** p_offset, unsigned. */
    public long offset() {
        return offset;
    }

    /** p_vaddr, unsigned. */
    public long vaddr() {
        return vaddr;
    }

    /** p_filesz, unsigned. */
    public long filesz() {
        return filesz;
    }

    /** p_memsz, unsigned. */
    public long memsz() {
        return memsz;
    }

    /** True when this segment is loaded executable and contains virtual address {@code address}. */
    public boolean executableContains(long address) {
        return type == PT_LOAD && (flags & PF_X) != 0 && Long.compareUnsigned(address, vaddr) >= 0
                && Long.compareUnsigned(address - vaddr, memsz) < 0;
    }

    @Override
    public String toString() {
        return "phdr{type=" + type + " off=" + Long.toUnsignedString(offset) + " filesz=" + Long.toUnsignedString(filesz)
                + "}";
    }
}
