package io.execguard.core.inspect;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code #!} line of a script, parsed exactly as the kernel's {@code load_script} (fs/binfmt_script.c) parses the
 * first 256 bytes ({@code BINPRM_BUF_SIZE}): the interpreter path runs from the first non-blank after {@code #!} to
 * the next blank or NUL, everything after further blanks up to the end of the line (trailing blanks trimmed, but not
 * {@code \r}) is one single argument, and a line without a newline inside the buffer is accepted only when the path
 * is followed by a blank or NUL (otherwise it would be truncated). Immutable.
 */
public final class ShebangLine {
    /** How the kernel treats the line. */
    public enum Status {
        /** The buffer does not start with {@code #!}: binfmt_script passes. */
        NOT_SCRIPT,
        /** An interpreter path was found; execve opens it. */
        OK,
        /** Only blanks follow {@code #!}: ENOEXEC. */
        EMPTY,
        /** No newline in the buffer and the interpreter path runs to its end, so it would be cut: ENOEXEC. */
        TOO_LONG
    }

    private static final int BUF = BoundedReader.KERNEL_BUFFER;

    private final Status status;
    private final byte[] line;
    private final byte[] interpreter;
    private final byte[] argument;
    private final boolean newlineInBuffer;

    private ShebangLine(Status status, byte[] line, byte[] interpreter, byte[] argument, boolean newlineInBuffer) {
        this.status = status;
        this.line = line;
        this.interpreter = interpreter;
        this.argument = argument;
        this.newlineInBuffer = newlineInBuffer;
    }

    /** Parses the kernel buffer: the first 256 bytes of the file, zero-padded (see {@link BoundedReader#kernelBuffer()}). */
    public static ShebangLine parse(byte[] kernelBuffer) {
        byte[] buf = Arrays.copyOf(kernelBuffer, BUF);
        if (buf[0] != '#' || buf[1] != '!') {
            return new ShebangLine(Status.NOT_SCRIPT, new byte[0], null, null, false);
        }
        int bufEnd = BUF - 1;
        int newline = indexOf(buf, (byte) '\n');
        byte[] line = Arrays.copyOf(buf, newline >= 0 ? newline : lineEndWithoutNewline(buf));
        int end = newline;
        if (end < 0) {
            int first = nextNonBlank(buf, 2, bufEnd);
            if (first < 0) {
                return new ShebangLine(Status.EMPTY, line, null, null, false);
            }
            if (nextTerminator(buf, first, bufEnd) < 0) {
                return new ShebangLine(Status.TOO_LONG, line, null, null, false);
            }
            end = bufEnd;
        }
        while (blank(buf[end - 1])) {
            end--;
        }
        int name = nextNonBlank(buf, 2, end);
        if (name < 0 || name == end) {
            return new ShebangLine(Status.EMPTY, line, null, null, newline >= 0);
        }
        int arg = -1;
        int sep = nextTerminator(buf, name, end);
        if (sep >= 0 && buf[sep] != 0) {
            arg = nextNonBlank(buf, sep, end);
        }
        // The kernel writes NULs at the end and, when there is an argument, at the separator; the strings it then
        // uses run to the first NUL.
        int nameEnd = cString(buf, name, arg >= 0 ? sep : end);
        byte[] interpreter = Arrays.copyOfRange(buf, name, nameEnd);
        byte[] argument = arg >= 0 ? Arrays.copyOfRange(buf, arg, cString(buf, arg, end)) : null;
        return new ShebangLine(Status.OK, line, interpreter, argument, newline >= 0);
    }

    private static int lineEndWithoutNewline(byte[] buf) {
        int n = buf.length - 1;
        while (n > 0 && buf[n - 1] == 0) {
            n--;
        }
        return n;
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t';
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** First index in [first, last] that is not a blank, or -1 (the kernel's next_non_spacetab). */
    private static int nextNonBlank(byte[] b, int first, int last) {
        for (int i = first; i <= last; i++) {
            if (!blank(b[i])) {
                return i;
            }
        }
        return -1;
    }

    /** First index in [first, last] that is a blank or NUL, or -1 (the kernel's next_terminator). */
    private static int nextTerminator(byte[] b, int first, int last) {
        for (int i = first; i <= last; i++) {
            if (blank(b[i]) || b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int cString(byte[] b, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return limit;
    }

    public Status status() {
        return status;
    }

    /** True when the file starts with {@code #!}. */
    public boolean isScript() {
        return status != Status.NOT_SCRIPT;
    }

    /** The first line as the kernel sees it (up to the newline or the end of the buffer), escaped for display. */
    public String escapedLine() {
        return escape(line);
    }

    /** The interpreter path the kernel opens (may be empty, or end in {@code \r}); present when {@link Status#OK}. */
    public Optional<String> interpreter() {
        return interpreter == null ? Optional.empty() : Optional.of(new String(interpreter, StandardCharsets.UTF_8));
    }

    /** The single optional argument, exactly as the kernel passes it (spaces inside kept). */
    public Optional<String> argument() {
        return argument == null ? Optional.empty() : Optional.of(new String(argument, StandardCharsets.UTF_8));
    }

    /** True when the line ends inside the 256-byte buffer; false means the argument may be cut short. */
    public boolean newlineInBuffer() {
        return newlineInBuffer;
    }

    /** True when the interpreter path ends in a carriage return (CRLF line ending): execve fails with ENOENT. */
    public boolean interpreterEndsWithCr() {
        return interpreter != null && interpreter.length > 0 && interpreter[interpreter.length - 1] == '\r';
    }

    /** True when the argument ends in a carriage return: exec succeeds but the interpreter gets a bad argument. */
    public boolean argumentEndsWithCr() {
        return argument != null && argument.length > 0 && argument[argument.length - 1] == '\r';
    }

    /** Escapes bytes for display: printable ASCII as is, {@code \r \t \n \\} and {@code \xNN} for the rest. */
    public static String escape(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length + 8);
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.toString();
    }

    /** {@link #escape(byte[])} for a string (UTF-8 bytes). */
    public static String escape(String s) {
        return escape(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return status + " " + escapedLine();
    }
}
