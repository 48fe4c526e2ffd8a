package io.execguard.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What {@code uname(2)} says of the running kernel. The JVM's {@code os.arch} names the JVM's architecture (an
 * x86 JVM on an x86_64 kernel says {@code i386}); the kernel's {@link #machine()} is what exec compatibility
 * depends on.
 */
public final class Uname {
    private static final int FIELD = 65;

    private final String sysname;
    private final String nodename;
    private final String release;
    private final String version;
    private final String machine;

    public Uname(String sysname, String nodename, String release, String version, String machine) {
        this.sysname = Objects.requireNonNull(sysname);
        this.nodename = Objects.requireNonNull(nodename);
        this.release = Objects.requireNonNull(release);
        this.version = Objects.requireNonNull(version);
        this.machine = Objects.requireNonNull(machine);
    }

    /**
     * Calls {@code uname(2)}.
     *
     * @throws NativeUnavailableException when JNA's native library cannot be loaded
     */
    public static Uname current() throws IOException {
        NativeLoader.ensureLoaded();
        try (Memory buf = new Memory(FIELD * 6L)) {
            buf.clear();
            LibC.uname(buf);
            return new Uname(field(buf, 0), field(buf, 1), field(buf, 2), field(buf, 3), field(buf, 4));
        } catch (LastErrorException e) {
            throw new ErrnoException("uname", e.getErrorCode());
        }
    }

    private static String field(Memory buf, int index) {
        byte[] bytes = buf.getByteArray((long) index * FIELD, FIELD);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** {@code Linux}. */
    public String sysname() {
        return sysname;
    }

    /** The host name in the caller's UTS namespace. */
    public String nodename() {
        return nodename;
    }

    /** Kernel release, e.g. {@code 6.18.44}. */
    public String release() {
        return release;
    }

    /** Kernel build version string. */
    public String version() {
        return version;
    }

    /** Kernel architecture, e.g. {@code x86_64}, {@code aarch64}. */
    public String machine() {
        return machine;
    }

    @Override
    public String toString() {
        return sysname + " " + nodename + " " + release + " " + version + " " + machine;
    }
}
