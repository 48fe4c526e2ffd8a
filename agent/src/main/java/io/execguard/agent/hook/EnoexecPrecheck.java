package io.execguard.agent.hook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * A cheap first look that clears the common healthy case before the diagnosis engine is involved: a native ELF
 * program for this machine, or a script whose {@code #!} interpreter is such a program or another script, can not
 * make execve answer ENOEXEC, so the JVM will not fall back to {@code /bin/sh} for it. Anything else, or anything
 * this class cannot read, is left to the engine. It reads at most 128 bytes of the file and 64 of its interpreter,
 * loads no engine class, and so keeps the first exec of a freshly started JVM fast.
 */
final class EnoexecPrecheck {
    private static final int HEAD = 128;
    private static final int ELF_HEADER = 64;
    private static final int HOST_MACHINE = hostMachine(System.getProperty("os.arch", ""));

    private EnoexecPrecheck() {
    }

    /** False only when execve certainly does not answer ENOEXEC for {@code file}. */
    static boolean mayBeEnoexec(Path file) {
        return !clear(file).isPresent();
    }

    /**
     * Present only when execve certainly does not answer ENOEXEC for {@code file} as it is now, naming the
     * interpreter that verdict also rests on; empty when the file may be refused (the engine decides).
     */
    static Optional<Clearance> clear(Path file) {
        if (HOST_MACHINE < 0) {
            return Optional.empty();
        }
        ByteBuffer head = read(file, HEAD);
        if (head == null || head.limit() < 4) {
            return Optional.empty();
        }
        if (isElf(head)) {
            return isNativeProgram(head) ? Optional.of(Clearance.NATIVE) : Optional.empty();
        }
        if (head.get(0) == '#' && head.get(1) == '!') {
            Path interpreter = interpreter(head);
            if (interpreter == null) {
                return Optional.empty();
            }
            // The interpreter must itself be a native program (or a script): the kernel answers ENOEXEC for a
            // script whose interpreter is a program for another machine.
            ByteBuffer start = read(interpreter, ELF_HEADER);
            boolean runnable = start != null && start.limit() >= 4
                    && (isElf(start) ? isNativeProgram(start) : start.get(0) == '#' && start.get(1) == '!');
            return runnable ? Optional.of(new Clearance(Optional.of(interpreter))) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * A file the precheck cleared. A script's clearance also rests on its {@code #!} interpreter: replace that with
     * a program for another machine and the same script gets ENOEXEC, so a cached clearance must check it too.
     */
    static final class Clearance {
        static final Clearance NATIVE = new Clearance(Optional.empty());

        private final Optional<Path> interpreter;

        Clearance(Optional<Path> interpreter) {
            this.interpreter = interpreter;
        }

        Optional<Path> interpreter() {
            return interpreter;
        }
    }

    /** The e_machine of this JVM's architecture, or -1 when this check does not know it. */
    static int hostMachine(String osArch) {
        switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return 62;
            case "aarch64":
            case "arm64":
                return 183;
            default:
                return -1;
        }
    }

    private static boolean isElf(ByteBuffer b) {
        return b.get(0) == 0x7f && b.get(1) == 'E' && b.get(2) == 'L' && b.get(3) == 'F';
    }

    /** 64-bit little-endian EXEC or DYN for this machine with sane program headers. */
    private static boolean isNativeProgram(ByteBuffer b) {
        if (b.limit() < 64 || b.get(4) != 2 || b.get(5) != 1) {
            return false;
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16);
        int machine = b.getShort(18) & 0xffff;
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        return (type == 2 || type == 3) && machine == HOST_MACHINE && phentsize == 56 && phnum > 0;
    }

    /** The absolute interpreter path of a {@code #!} line that fits in the bytes read, or null. */
    private static Path interpreter(ByteBuffer b) {
        int i = 2;
        while (i < b.limit() && (b.get(i) == ' ' || b.get(i) == '\t')) {
            i++;
        }
        int start = i;
        while (i < b.limit() && b.get(i) != ' ' && b.get(i) != '\t' && b.get(i) != '\n' && b.get(i) != 0) {
            i++;
        }
        if (i == b.limit() || b.get(start) != '/' || b.get(i - 1) == '\r') {
            return null;
        }
        byte[] name = new byte[i - start];
        for (int k = 0; k < name.length; k++) {
            name[k] = b.get(start + k);
        }
        return Path.of(new String(name, StandardCharsets.ISO_8859_1));
    }

    private static ByteBuffer read(Path file, int max) {
        if (!Files.isRegularFile(file)) {
            return null; // never open a FIFO or device: that could block the application's thread
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(max);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // keep reading: a short read is legal
            }
            b.flip();
            return b;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
