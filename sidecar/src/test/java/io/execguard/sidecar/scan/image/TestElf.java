package io.execguard.sidecar.scan.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Synthesises ELF executables for tests: a valid header, a program header table (PT_INTERP when a loader is
 * named, and PT_LOAD), the interpreter string, and optional padding so tables can sit beyond capture prefixes.
 */
public final class TestElf {
    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    private TestElf() {
    }

    /** A 64-bit little-endian ET_EXEC (or ET_DYN with an interpreter) for {@code machine}. */
    public static byte[] elf64(int machine, String interpreter) {
        return elf64(machine, interpreter, 64, 0);
    }

    /**
     * @param phoff where the program header table starts (64 = right after the header)
     * @param trailing bytes of padding after everything (makes the file big)
     */
    public static byte[] elf64(int machine, String interpreter, int phoff, int trailing) {
        byte[] interp = interpreter == null ? new byte[0] : (interpreter + "\0").getBytes(StandardCharsets.US_ASCII);
        int phnum = interpreter == null ? 1 : 2;
        int interpOffset = phoff + phnum * 56;
        int size = interpOffset + interp.length + trailing;
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, 64)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) (interpreter == null ? 2 : 3));
        b.putShort((short) machine);
        b.putInt(1);
        b.putLong(0x401000);
        b.putLong(phoff);
        b.putLong(0);
        b.putInt(0);
        b.putShort((short) 64);
        b.putShort((short) 56);
        b.putShort((short) phnum);
        b.putShort((short) 64);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.position(phoff);
        if (interpreter != null) {
            b.putInt(3).putInt(4).putLong(interpOffset).putLong(interpOffset).putLong(interpOffset)
                    .putLong(interp.length).putLong(interp.length).putLong(1);
        }
        // PT_LOAD R+X mapping the whole file, with room for the entry point at 0x401000.
        b.putInt(1).putInt(5).putLong(0).putLong(0x400000).putLong(0x400000).putLong(size)
                .putLong(Math.max(size, 0x2000)).putLong(0x1000);
        b.position(interpOffset);
        b.put(interp);
        return b.array();
    }

    /** A 32-bit little-endian ARM ET_EXEC without interpreter, {@code size} bytes long. */
    public static byte[] elf32Arm(int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2);
        b.putShort((short) EM_ARM);
        b.putInt(1);
        b.putInt(0x10000);
        b.putInt(52);
        b.putInt(size - 40 * 2);
        b.putInt(0x5000400);
        b.putShort((short) 52);
        b.putShort((short) 32);
        b.putShort((short) 1);
        b.putShort((short) 40);
        b.putShort((short) 2);
        b.putShort((short) 1);
        b.position(52);
        b.putInt(1).putInt(0).putInt(0x10000).putInt(0x10000).putInt(size).putInt(size).putInt(5).putInt(0x1000);
        return b.array();
    }

    /**
     * A 32-bit ARM ET_EXEC of {@code size} bytes whose {@code .ARM.attributes} (Tag_CPU_arch v7) and section
     * header table sit at the very end, as linkers lay them out, far beyond any prefix scan keeps.
     */
    public static byte[] elf32ArmV7(int size) {
        byte[] attributes = {'A', 0x14, 0, 0, 0, 'a', 'e', 'a', 'b', 'i', 0, 1, 0x0a, 0, 0, 0, 5, '7', 0, 6, 10};
        byte[] elf = elf32Arm(size);
        int shoff = size - 2 * 40;
        int attributesOffset = shoff - attributes.length;
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(32, shoff).putShort(50, (short) 0);
        b.position(attributesOffset);
        b.put(attributes);
        b.position(shoff + 40);
        b.putInt(0).putInt(0x70000003).putInt(0).putInt(0).putInt(attributesOffset).putInt(attributes.length);
        return elf;
    }
}
