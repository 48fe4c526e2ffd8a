package io.execguard.core.inspect;

import io.execguard.core.fs.OpenedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads an opened file within a fixed budget of {@value #MAX_BYTES} bytes, so that no file, however large or
 * hostile, makes an inspection read more. The first read fetches {@value #HEAD_BYTES} bytes (see there); every
 * further read is charged to the budget. Not thread-safe; one reader per inspection.
 */
public final class BoundedReader {
    /** The most bytes one inspection ever reads from a file. */
    public static final int MAX_BYTES = 64 * 1024;
    /** What the kernel reads before choosing a binary handler ({@code BINPRM_BUF_SIZE}). */
    public static final int KERNEL_BUFFER = 256;
    /**
     * The first read, in one system call: the kernel buffer, the first tar header block (whose {@code ustar} magic
     * sits at 257) and, for typical ELF files, the whole program header table right after the 64-byte header.
     */
    public static final int HEAD_BYTES = 1024;

    private final OpenedFile file;
    private final long size;
    private final byte[] head;
    private final int headLength;
    private int budget;

    private BoundedReader(OpenedFile file, byte[] head, int headLength, int budget) {
        this.file = file;
        this.size = file.attributes().size();
        this.head = head;
        this.headLength = headLength;
        this.budget = budget;
    }

    /** Opens a reader and reads the head of the file. */
    public static BoundedReader open(OpenedFile file) throws IOException {
        byte[] head = new byte[HEAD_BYTES];
        int n = fill(file, 0, head, HEAD_BYTES);
        return new BoundedReader(file, head, n, MAX_BYTES - HEAD_BYTES);
    }

    /** A reader over bytes already in memory (tests, fuzzing, interpreters read by the caller). */
    public static BoundedReader ofHead(OpenedFile file, byte[] bytes) {
        byte[] head = Arrays.copyOf(bytes, Math.max(HEAD_BYTES, bytes.length));
        return new BoundedReader(file, head, bytes.length, MAX_BYTES - HEAD_BYTES);
    }

    private static int fill(OpenedFile file, long position, byte[] into, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = file.read(position + total, buffer);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** The size of the file as the open descriptor reports it. */
    public long size() {
        return size;
    }

    /** How many bytes of the head were actually read (less than {@value #HEAD_BYTES} for short files). */
    public int headLength() {
        return headLength;
    }

    /** The kernel's view of the file: the first 256 bytes, zero-padded past the end of the file, as execve has it. */
    public byte[] kernelBuffer() {
        return Arrays.copyOf(head, KERNEL_BUFFER);
    }

    /** Byte {@code i} of the head (zero past the end of the file). */
    public int headByte(int i) {
        return i < headLength ? head[i] & 0xff : 0;
    }

    /** A copy of the head bytes actually read. */
    public byte[] head() {
        return Arrays.copyOf(head, headLength);
    }

    /** Bytes left in the budget. */
    public int remainingBudget() {
        return budget;
    }

    /**
     * Reads up to {@code length} bytes at {@code position}; the result is shorter at the end of the file. Bytes that
     * lie inside the head are served from memory and cost nothing.
     *
     * @throws ReadBudgetExceededException when the read would take the inspection past {@link #MAX_BYTES}
     */
    public byte[] read(long position, int length) throws IOException {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("negative position or length");
        }
        long available = Math.max(0, Math.min((long) length, size - position));
        int want = (int) available;
        if (position + want <= headLength) {
            return Arrays.copyOfRange(head, (int) position, (int) position + want);
        }
        if (want > budget) {
            throw new ReadBudgetExceededException(position, length);
        }
        budget -= want;
        byte[] out = new byte[want];
        int n = fill(file, position, out, want);
        return n == want ? out : Arrays.copyOf(out, n);
    }

    /** Thrown when an inspection would read more than {@link #MAX_BYTES} bytes of one file. */
    public static final class ReadBudgetExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        ReadBudgetExceededException(long position, int length) {
            super("reading " + length + " bytes at offset " + position + " would exceed the " + MAX_BYTES
                    + "-byte inspection budget");
        }
    }
}
