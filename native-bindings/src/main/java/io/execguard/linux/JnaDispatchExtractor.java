package io.execguard.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Copies JNA's native dispatch library for this platform out of the class path into a directory, at image build
 * time, so that at run time JNA loads it from there ({@code -Djna.boot.library.path=DIR -Djna.nounpack=true
 * -Djna.noclasspath=true}) instead of unpacking it into a temporary directory - which a read-only root file system or
 * a noexec {@code /tmp} forbids. See docs/native.md.
 *
 * <p>Usage: {@code java -cp execguard.jar io.execguard.linux.JnaDispatchExtractor DIR}
 */
public final class JnaDispatchExtractor {
    private JnaDispatchExtractor() {
    }

    /** Extracts into {@code args[0]}; exit code 2 on bad usage, 1 when the library is missing or unwritable. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: JnaDispatchExtractor DIRECTORY");
            System.exit(2);
        }
        try {
            System.out.println(extract(Path.of(args[0])));
        } catch (IOException e) {
            System.err.println("Cannot extract JNA's native library: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Extracts the library for the running platform into {@code directory} (created if needed).
     *
     * @return the extracted file
     */
    public static Path extract(Path directory) throws IOException {
        String resource = "/com/sun/jna/" + resourcePrefix() + "/" + System.mapLibraryName("jnidispatch");
        try (InputStream in = JnaDispatchExtractor.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path for this platform");
            }
            Files.createDirectories(directory);
            Path target = directory.resolve(System.mapLibraryName("jnidispatch"));
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    /** JNA's folder name for this platform, e.g. {@code linux-x86-64}, computed without loading JNA's natives. */
    static String resourcePrefix() {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64": case "x86_64": return "linux-x86-64";
            case "aarch64": return "linux-aarch64";
            case "x86": case "i386": case "i686": return "linux-x86";
            default: return "linux-" + arch;
        }
    }
}
