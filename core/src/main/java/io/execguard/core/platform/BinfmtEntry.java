package io.execguard.core.platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One binfmt_misc registration, as {@code /proc/sys/fs/binfmt_misc/NAME} shows it: either a magic (with optional mask)
 * at an offset of the file's first bytes, or a file-name extension; the interpreter the kernel runs instead; and its
 * flags ({@code F} = the interpreter was opened at registration, so it works in any mount namespace). Immutable.
 */
public final class BinfmtEntry {
    private final String name;
    private final boolean enabled;
    private final String interpreter;
    private final String flags;
    private final int offset;
    private final byte[] magic;
    private final byte[] mask;
    private final String extension;

    private BinfmtEntry(String name, boolean enabled, String interpreter, String flags, int offset, byte[] magic,
                        byte[] mask, String extension) {
        this.name = name;
        this.enabled = enabled;
        this.interpreter = interpreter;
        this.flags = flags;
        this.offset = offset;
        this.magic = magic;
        this.mask = mask;
        this.extension = extension;
    }

    /** A magic-matching entry; {@code mask} may be null. */
    public static BinfmtEntry magic(String name, boolean enabled, String interpreter, String flags, int offset,
                                    byte[] magic, byte[] mask) {
        return new BinfmtEntry(name, enabled, interpreter, flags, offset, magic.clone(),
                mask == null ? null : mask.clone(), null);
    }

    /** An extension-matching entry ({@code extension} without the dot). */
    public static BinfmtEntry extension(String name, boolean enabled, String interpreter, String flags,
                                        String extension) {
        return new BinfmtEntry(name, enabled, interpreter, flags, 0, null, null, extension);
    }

    /**
     * Parses the text of {@code /proc/sys/fs/binfmt_misc/NAME}.
     *
     * @return empty when the text is not an entry (status, register, or garbage)
     */
    public static Optional<BinfmtEntry> parse(String name, String text) {
        Boolean enabled = null;
        String interpreter = null;
        String flags = "";
        int offset = 0;
        byte[] magic = null;
        byte[] mask = null;
        String extension = null;
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.equals("enabled") || l.equals("disabled")) {
                enabled = l.equals("enabled");
            } else if (l.startsWith("interpreter ")) {
                interpreter = l.substring("interpreter ".length());
            } else if (l.startsWith("flags:")) {
                flags = l.substring("flags:".length()).trim();
            } else if (l.startsWith("offset ")) {
                offset = parseInt(l.substring("offset ".length()));
            } else if (l.startsWith("magic ")) {
                magic = hex(l.substring("magic ".length()));
            } else if (l.startsWith("mask ")) {
                mask = hex(l.substring("mask ".length()));
            } else if (l.startsWith("extension .")) {
                extension = l.substring("extension .".length());
            }
        }
        if (enabled == null || interpreter == null || offset < 0) {
            return Optional.empty();
        }
        if (magic != null) {
            return Optional.of(new BinfmtEntry(name, enabled, interpreter, flags, offset, magic, mask, null));
        }
        if (extension != null) {
            return Optional.of(new BinfmtEntry(name, enabled, interpreter, flags, 0, null, null, extension));
        }
        return Optional.empty();
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] hex(String s) {
        String h = s.trim();
        if (h.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(h.charAt(2 * i), 16);
            int lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /**
     * True when the kernel's {@code check_file} would pick this entry for a file whose first 256 bytes are
     * {@code kernelBuffer} and which execve was given as {@code execPath}. Extension entries match the text after the
     * last dot of the whole path, as the kernel does.
     */
    public boolean matches(byte[] kernelBuffer, String execPath) {
        if (!enabled) {
            return false;
        }
        if (magic == null) {
            int dot = execPath.lastIndexOf('.');
            return dot >= 0 && execPath.substring(dot + 1).equals(extension);
        }
        for (int j = 0; j < magic.length; j++) {
            int at = offset + j;
            byte b = at < kernelBuffer.length ? kernelBuffer[at] : 0;
            int m = mask == null ? 0xff : mask[j] & 0xff;
            if (((b ^ magic[j]) & m) != 0) {
                return false;
            }
        }
        return true;
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public String interpreter() {
        return interpreter;
    }

    /** The flags letters as the kernel lists them (e.g. {@code POCF}); may be empty. */
    public String flags() {
        return flags;
    }

    /** True with flag {@code F}: the kernel opened the interpreter at registration and never looks it up again. */
    public boolean fixBinary() {
        return flags.toUpperCase(Locale.ROOT).indexOf('F') >= 0;
    }

    public int offset() {
        return offset;
    }

    public Optional<byte[]> magic() {
        return Optional.ofNullable(magic).map(byte[]::clone);
    }

    public Optional<byte[]> mask() {
        return Optional.ofNullable(mask).map(byte[]::clone);
    }

    /** The extension (without dot) for extension entries. */
    public Optional<String> extension() {
        return Optional.ofNullable(extension);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BinfmtEntry)) {
            return false;
        }
        BinfmtEntry e = (BinfmtEntry) o;
        return name.equals(e.name) && enabled == e.enabled && interpreter.equals(e.interpreter) && flags.equals(e.flags)
                && offset == e.offset && Arrays.equals(magic, e.magic) && Arrays.equals(mask, e.mask)
                && java.util.Objects.equals(extension, e.extension);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, interpreter, flags, offset, Arrays.hashCode(magic));
    }

    @Override
    public String toString() {
        return "binfmt " + name + (enabled ? "" : " (disabled)") + " -> " + interpreter + " flags=" + flags;
    }
}
