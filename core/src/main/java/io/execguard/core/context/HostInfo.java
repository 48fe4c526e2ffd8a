package io.execguard.core.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Facts about the machine that go into {@code host.*}: hostname, architecture in {@code uname -m} spelling, and
 * kernel release. Read from {@code /proc/sys/kernel} (no process spawned, no DNS lookup). Immutable.
 */
public final class HostInfo {
    private final String hostname;
    private final String architecture;
    private final String kernel;

    public HostInfo(String hostname, String architecture, String kernel) {
        this.hostname = hostname;
        this.architecture = architecture;
        this.kernel = kernel;
    }

    /** This machine, read once and cached (hostnames of running containers do not change). */
    public static HostInfo current() {
        return Holder.CURRENT;
    }

    /** Reads the facts from a {@code /proc} mounted at {@code procRoot}. */
    public static HostInfo read(Path procRoot) {
        Path kernelDir = procRoot.resolve("sys/kernel");
        String hostname = readLine(kernelDir.resolve("hostname")).orElse(null);
        String arch = readLine(kernelDir.resolve("arch")).orElseGet(() -> unameMachine(System.getProperty("os.arch")));
        String kernel = readLine(kernelDir.resolve("osrelease")).orElse(System.getProperty("os.version"));
        return new HostInfo(hostname, arch, kernel);
    }

    /** {@code host.hostname}. */
    public Optional<String> hostname() {
        return Optional.ofNullable(hostname);
    }

    /** {@code host.architecture}, e.g. {@code x86_64}, {@code aarch64}. */
    public Optional<String> architecture() {
        return Optional.ofNullable(architecture);
    }

    /** {@code host.os.kernel}, e.g. {@code 6.1.0-18-amd64}. */
    public Optional<String> kernel() {
        return Optional.ofNullable(kernel);
    }

    /** Maps Java's {@code os.arch} to the kernel's spelling, for kernels without {@code /proc/sys/kernel/arch}. */
    static String unameMachine(String osArch) {
        if (osArch == null) {
            return null;
        }
        switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64":
                return "x86_64";
            case "x86":
            case "i386":
                return "i686";
            case "arm":
                return "armv7l";
            default:
                return osArch;
        }
    }

    private static Optional<String> readLine(Path file) {
        try {
            String s = new String(ProcessContextReader.readProcFile(file), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostInfo)) {
            return false;
        }
        HostInfo h = (HostInfo) o;
        return Objects.equals(hostname, h.hostname) && Objects.equals(architecture, h.architecture)
                && Objects.equals(kernel, h.kernel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, architecture, kernel);
    }

    @Override
    public String toString() {
        return hostname + " " + architecture + " " + kernel;
    }

    private static final class Holder {
        static final HostInfo CURRENT = read(Path.of("/proc"));
    }
}
