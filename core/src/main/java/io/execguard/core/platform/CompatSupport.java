package io.execguard.core.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Whether this kernel runs 32-bit programs of the host's compat machine (i386 on amd64, ARM on arm64), and how we know.
 * Read from files only, never by running a probe binary:
 * <ol>
 *   <li>amd64: {@code ia32_emulation=} on {@code /proc/cmdline} decides when present (kernel 6.7+);</li>
 *   <li>otherwise the kernel configuration ({@code /proc/config.gz}, else {@code /boot/config-RELEASE}):
 *       {@code CONFIG_IA32_EMULATION} compiled in, and not {@code CONFIG_IA32_EMULATION_DEFAULT_DISABLED};</li>
 *   <li>without a readable configuration, the {@code abi.vsyscall32} sysctl, which x86_64 kernels register exactly
 *       when IA32 emulation is compiled in.</li>
 * </ol>
 * arm64: {@code CONFIG_COMPAT} from the configuration, and the CPU's AArch32 EL0 support from
 * {@code /sys/devices/system/cpu/aarch32_el0} when the kernel lists it; without that file compat is taken as present
 * when configured. Immutable.
 */
public final class CompatSupport {
    private final boolean enabled;
    private final String source;

    private CompatSupport(boolean enabled, String source) {
        this.enabled = enabled;
        this.source = source;
    }

    /** An explicit answer (tests, or non-host platforms). */
    public static CompatSupport of(boolean enabled, String source) {
        return new CompatSupport(enabled, source);
    }

    /** True when 32-bit programs run. */
    public boolean enabled() {
        return enabled;
    }

    /** How this was decided, for evidence: e.g. {@code /proc/cmdline ia32_emulation=0}. */
    public String source() {
        return source;
    }

    /** Detects compat support of the running kernel for host architecture {@code architecture} (OCI name). */
    public static CompatSupport detect(String architecture) {
        return detect(architecture, Path.of("/"));
    }

    /** {@link #detect(String)} reading {@code /proc}, {@code /sys} and {@code /boot} under {@code root} (tests). */
    static CompatSupport detect(String architecture, Path root) {
        Optional<String> config = kernelConfig(root);
        switch (architecture) {
            case "amd64":
                return amd64(root, config);
            case "arm64":
                return arm64(root, config);
            default:
                return new CompatSupport(false, "no 32-bit compat mode is known for " + architecture);
        }
    }

    private static CompatSupport amd64(Path root, Optional<String> config) {
        Optional<String> cmdline = read(root.resolve("proc/cmdline"));
        if (cmdline.isPresent()) {
            for (String word : cmdline.get().trim().split("\\s+")) {
                if (word.equals("--")) {
                    break;
                }
                if (word.startsWith("ia32_emulation=")) {
                    Optional<Boolean> on = kernelBool(word.substring("ia32_emulation=".length()));
                    if (on.isPresent()) {
                        return new CompatSupport(on.get(), "/proc/cmdline " + word);
                    }
                }
            }
        }
        if (config.isPresent()) {
            if (!configEnabled(config.get(), "CONFIG_IA32_EMULATION")) {
                return new CompatSupport(false, "kernel config: CONFIG_IA32_EMULATION is not set");
            }
            if (configEnabled(config.get(), "CONFIG_IA32_EMULATION_DEFAULT_DISABLED")) {
                return new CompatSupport(false, "kernel config: CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y");
            }
            return new CompatSupport(true, "kernel config: CONFIG_IA32_EMULATION=y");
        }
        boolean sysctl = Files.exists(root.resolve("proc/sys/abi/vsyscall32"));
        return new CompatSupport(sysctl, sysctl ? "abi.vsyscall32 sysctl present (IA32 emulation compiled in)"
                : "abi.vsyscall32 sysctl absent (IA32 emulation not compiled in)");
    }

    private static CompatSupport arm64(Path root, Optional<String> config) {
        if (config.isPresent() && !configEnabled(config.get(), "CONFIG_COMPAT")) {
            return new CompatSupport(false, "kernel config: CONFIG_COMPAT is not set");
        }
        Optional<String> el0 = read(root.resolve("sys/devices/system/cpu/aarch32_el0"));
        if (el0.isPresent()) {
            boolean any = !el0.get().trim().isEmpty();
            return new CompatSupport(any, "/sys/devices/system/cpu/aarch32_el0: " + (any ? el0.get().trim() : "none"));
        }
        return new CompatSupport(config.isPresent(), config.isPresent() ? "kernel config: CONFIG_COMPAT=y"
                : "no kernel config readable; AArch32 support unknown, assumed absent");
    }

    /** The kernel's kstrtobool. */
    private static Optional<Boolean> kernelBool(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.equals("1") || s.startsWith("y") || s.equals("on")) {
            return Optional.of(true);
        }
        if (s.equals("0") || s.startsWith("n") || s.equals("off")) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    private static boolean configEnabled(String config, String option) {
        for (String line : config.split("\n")) {
            if (line.equals(option + "=y") || line.equals(option + "=m")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> kernelConfig(Path root) {
        Path gz = root.resolve("proc/config.gz");
        if (Files.isReadable(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return Optional.of(out.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // fall through to /boot
            }
        }
        Optional<String> release = read(root.resolve("proc/sys/kernel/osrelease")).map(String::trim);
        if (release.isPresent()) {
            return read(root.resolve("boot/config-" + release.get()));
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return (enabled ? "enabled" : "disabled") + " (" + source + ")";
    }
}
