package io.execguard.core.platform;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI platform: {@code os/architecture[/variant]}, e.g. {@code linux/amd64} or {@code linux/arm/v7}.
 * Architecture names follow the OCI image spec (and containerd's normalisation of kernel names).
 */
public final class Platform {
    private final String os;
    private final String architecture;
    private final String variant;

    private Platform(String os, String architecture, String variant) {
        this.os = os;
        this.architecture = architecture;
        this.variant = variant;
    }

    /** A platform from its parts; {@code variant} may be null. */
    public static Platform of(String os, String architecture, String variant) {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        return new Platform(os.toLowerCase(Locale.ROOT), normalizeArchitecture(architecture),
                variant == null || variant.isEmpty() ? null : variant.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses {@code linux/arm64}, {@code linux/arm/v7}, or a bare architecture ({@code arm64}, taken as linux).
     *
     * @throws IllegalArgumentException with a user-readable message when the text is not a platform
     */
    public static Platform parse(String text) {
        String t = text == null ? "" : text.trim();
        String[] parts = t.split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("not a platform: '" + text + "' (expected os/arch[/variant], e.g. linux/arm64)");
            }
        }
        switch (parts.length) {
            case 1:
                return of("linux", parts[0], null);
            case 2:
                return of(parts[0], parts[1], null);
            case 3:
                return of(parts[0], parts[1], parts[2]);
            default:
                throw new IllegalArgumentException("not a platform: '" + text + "' (expected os/arch[/variant], e.g. linux/arm64)");
        }
    }

    /** Maps kernel and distribution names onto OCI ones, like containerd's normalizeArch. */
    public static String normalizeArchitecture(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        switch (a) {
            case "x86_64":
            case "x86-64":
            case "amd64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "arm64";
            case "i386":
            case "i486":
            case "i586":
            case "i686":
            case "386":
                return "386";
            case "armhf":
            case "armel":
            case "armv7l":
            case "armv6l":
            case "arm":
                return "arm";
            case "ppc64le":
            case "s390x":
            case "riscv64":
            case "mips64le":
            case "loong64":
                return a;
            case "loongarch64":
                return "loong64";
            default:
                return a;
        }
    }

    /**
     * The architecture as the kernel names it ({@code uname -m}: x86_64, aarch64, armv7l...), which is what Elastic
     * Common Schema's {@code host.architecture} holds.
     */
    public String kernelArchitecture() {
        switch (architecture) {
            case "amd64":
                return "x86_64";
            case "arm64":
                return "aarch64";
            case "386":
                return "i686";
            case "arm":
                return variant == null ? "armv7l" : "arm" + variant + "l";
            case "loong64":
                return "loongarch64";
            case "mips64le":
            case "mips64":
                return "mips64";
            default:
                return architecture;
        }
    }

    /** The platform this JVM runs on, from {@code os.arch} (no process is spawned). */
    public static Platform host() {
        return HostPlatformHolder.HOST;
    }

    public String os() {
        return os;
    }

    public String architecture() {
        return architecture;
    }

    public Optional<String> variant() {
        return Optional.ofNullable(variant);
    }

    /** True when the two name the same os and architecture, and variants agree where both are given. */
    public boolean matches(Platform other) {
        return os.equals(other.os) && architecture.equals(other.architecture)
                && (variant == null || other.variant == null || variant.equals(other.variant));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Platform)) {
            return false;
        }
        Platform p = (Platform) o;
        return os.equals(p.os) && architecture.equals(p.architecture) && Objects.equals(variant, p.variant);
    }

    @Override
    public int hashCode() {
        return Objects.hash(os, architecture, variant);
    }

    /** {@code os/architecture[/variant]}. */
    @Override
    public String toString() {
        return variant == null ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }

    private static final class HostPlatformHolder {
        static final Platform HOST = hostFromSystemProperties();

        private static Platform hostFromSystemProperties() {
            String arch = normalizeArchitecture(System.getProperty("os.arch", "unknown"));
            String variant = "arm".equals(arch) ? "v7" : null;
            return of(System.getProperty("os.name", "linux"), arch, variant);
        }
    }
}
