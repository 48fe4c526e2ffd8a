package io.execguard.agent.jdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How this JVM starts child processes, as far as it changes what a failed exec looks like: whether a file the
 * kernel refuses with ENOEXEC is re-run as {@code /bin/sh FILE}. The JDK's child code calls the C library's
 * {@code execvp} (launch mechanisms POSIX_SPAWN and FORK), whose glibc implementation falls back to the shell and
 * whose musl implementation does not; in VFORK mode the JDK runs the fallback itself when the environment was
 * changed. Everything here is read from the JVM's own state and {@code /proc/self/maps}: nothing is spawned.
 */
public final class Launcher {
    /** The C library the JVM runs on. */
    public enum Libc { GLIBC, MUSL, OTHER }

    private final Libc libc;
    private final String launchMechanism;

    Launcher(Libc libc, String launchMechanism) {
        this.libc = libc;
        this.launchMechanism = launchMechanism;
    }

    /** The facts of this JVM. */
    public static Launcher current() {
        String mechanism = System.getProperty("jdk.lang.Process.launchMechanism", "POSIX_SPAWN");
        return new Launcher(detectLibc(Path.of("/proc/self/maps")), mechanism.toUpperCase(Locale.ROOT));
    }

    /** For tests and for explaining other processes: explicit facts. */
    public static Launcher of(Libc libc, String launchMechanism) {
        return new Launcher(libc, launchMechanism.toUpperCase(Locale.ROOT));
    }

    /** Reads the libc from a {@code maps} file: musl's loader is its libc, glibc maps {@code libc.so.6}. */
    static Libc detectLibc(Path maps) {
        try {
            String text = new String(Files.readAllBytes(maps), StandardCharsets.ISO_8859_1);
            if (text.contains("/ld-musl-") || text.contains("/libc.musl-")) {
                return Libc.MUSL;
            }
            return text.contains("/libc.so.6") || text.contains("/libc-2.") ? Libc.GLIBC : Libc.OTHER;
        } catch (IOException | RuntimeException e) {
            return Libc.OTHER;
        }
    }

    public Libc libc() {
        return libc;
    }

    public String launchMechanism() {
        return launchMechanism;
    }

    /**
     * Whether a file that execve refuses with ENOEXEC is run through {@code /bin/sh} instead of failing.
     *
     * @param environmentChanged whether the ProcessBuilder's environment differs from the JVM's (VFORK mode only
     *                           falls back itself when the JDK passes its own environment block)
     */
    public boolean fallsBackToShell(boolean environmentChanged) {
        if (libc == Libc.GLIBC) {
            return true;
        }
        return "VFORK".equals(launchMechanism) && environmentChanged;
    }

    @Override
    public String toString() {
        return libc.name().toLowerCase(Locale.ROOT) + "/" + launchMechanism;
    }
}
