package io.execguard.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.execguard.core.testing.Privileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JNA in a container with a read-only root file system and a noexec /tmp: a child JVM whose temporary directory,
 * home and cache directory are a noexec tmpfs, read-only or not, (mounted in a private mount namespace) must still call libc
 * when told to load a pre-extracted libjnidispatch from a read-only directory - and, as the control, must fail
 * without that.
 */
class ReadOnlyFileSystemTest {
    @TempDir
    Path dir;
    private Path nativeDir;
    private Path readOnly;

    @BeforeEach
    void prepare() throws IOException {
        Privileges.requireRoot();
        Privileges.requireCommand("unshare");
        nativeDir = dir.resolve("native");
        Path extracted = JnaDispatchExtractor.extract(nativeDir);
        assertTrue(Files.size(extracted) > 10_000, "extracted " + extracted);
        readOnly = Files.createDirectory(dir.resolve("ro"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ro,noexec", "rw,noexec"})
    void preExtractedLibraryIsUsedWithoutWritingAnything(String tmpOptions) throws Exception {
        Result r = runChild(tmpOptions, List.of("-Djna.boot.library.path=" + nativeDir, "-Djna.nounpack=true",
                "-Djna.noclasspath=true"));
        assertEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("machine=" + Uname.current().machine()), r.output);
        assertTrue(r.output.contains("jnidispatch.path=" + nativeDir.resolve("libjnidispatch.so")), r.output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ro,noexec", "rw,noexec"})
    void withoutItJnaCannotStartThere(String tmpOptions) throws Exception {
        Result r = runChild(tmpOptions, List.of());
        assertEquals(4, r.exitCode, "JNA unpacked its library somewhere usable after all: " + r.output);
        assertTrue(r.output.startsWith("unavailable: JNA's native library cannot be loaded ("), r.output);
        assertTrue(r.output.contains("start with -Djna.boot.library.path=DIR -Djna.nounpack=true"), r.output);
        assertFalse(r.output.contains("\tat "), "one sentence, no stack trace: " + r.output);
    }

    private Result runChild(String tmpOptions, List<String> jnaOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = String.join(":", location(Native.class), location(Uname.class), location(UnameProbe.class));
        StringBuilder command = new StringBuilder();
        // A read-only, noexec tmpfs for everything JNA might write to; the native directory is made read-only too.
        command.append("mount -t tmpfs -o ").append(tmpOptions).append(",nosuid,nodev,size=4m tmpfs ").append(readOnly)
                .append(" && mount --bind ").append(nativeDir).append(' ').append(nativeDir)
                .append(" && mount -o remount,bind,ro ").append(nativeDir)
                .append(" && exec ").append(java);
        List<String> javaArgs = new ArrayList<>(List.of("-Djava.io.tmpdir=" + readOnly, "-Duser.home=" + readOnly,
                "-Djna.tmpdir=" + readOnly));
        javaArgs.addAll(jnaOptions);
        javaArgs.addAll(List.of("-cp", classpath, UnameProbe.class.getName()));
        for (String a : javaArgs) {
            command.append(' ').append('\'').append(a).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                command.toString()).redirectErrorStream(true);
        pb.environment().put("HOME", readOnly.toString());
        pb.environment().put("XDG_CACHE_HOME", readOnly.resolve("cache").toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
