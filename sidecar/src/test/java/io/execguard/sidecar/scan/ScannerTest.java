package io.execguard.sidecar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.platform.Platform;
import io.execguard.sidecar.scan.image.ImageArchive;
import io.execguard.sidecar.scan.image.ImageFileTree;
import io.execguard.sidecar.scan.image.TestElf;
import io.execguard.sidecar.scan.image.TestImages;
import io.execguard.sidecar.scan.image.TestLayer;
import io.execguard.sidecar.scan.image.TestLayer.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What scan asks the engine and how it turns answers into findings; real diagnoses: ScanAcceptanceTest. */
class ScannerTest {
    @TempDir
    Path tmp;

    private Path image(String platform) throws IOException {
        byte[] layer = TestLayer.create()
                .file("/entrypoint.sh", 0755, "#!/bin/sh\nexec /app/server\n")
                .file("/bin/sh", 0755, TestElf.elf64(TestElf.EM_X86_64, null))
                .file("/app/server", 0755, TestElf.elf64(TestElf.EM_X86_64, null))
                .file("/usr/bin/tool", 0711, "#!/bin/sh\n")
                .file("/etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\n")
                .symlink("/usr/bin/link", "tool")
                .bytes(Compression.GZIP);
        return TestImages.dockerSaveLegacy(tmp.resolve("img-" + platform.replace('/', '_') + ".tar"), "app:1",
                new TestImages.Spec(platform, List.of("/entrypoint.sh"), List.of()).env("PATH=/usr/bin:/bin")
                        .workingDir("/app").layer(layer));
    }

    @Test
    void imageScanDiagnosesTheChainFirstThenEveryOtherExecutableInTheImageTree() throws IOException {
        ScriptedDiagnoser engine = new ScriptedDiagnoser();
        try (ImageArchive archive = ImageArchive.open(image("linux/arm64"))) {
            ScanReport report = new Scanner(engine, IgnoreRules.none()).scanImage(archive, "img.tar", List.of());
            assertEquals(0, report.findings().size());
            assertEquals(1, report.units().size());
            assertEquals(Platform.parse("linux/arm64"), report.units().get(0).target());
        }
        List<String> paths = engine.requests().stream().map(DiagnosisRequest::path).collect(Collectors.toList());
        assertEquals(List.of("/entrypoint.sh", "/bin/sh", "/app/server"), paths.subList(0, 3));
        assertEquals(List.of("/usr/bin/tool"), paths.subList(3, paths.size()), "x-bit files not in the chain");
        for (DiagnosisRequest r : engine.requests()) {
            assertTrue(r.tree().get() instanceof ImageFileTree);
            assertEquals(Platform.parse("linux/arm64"), r.platform().get());
            assertEquals("/usr/bin:/bin", r.searchPath());
        }
        assertEquals("/app", engine.requests().get(0).cwd(), "the chain starts in the image's WorkingDir");
    }

    @Test
    void findingsAreOrderedEntrypointFirstAndIgnoredOnesCounted() throws IOException {
        ScriptedDiagnoser engine = new ScriptedDiagnoser().answer("/usr/bin/tool", Cause.SHEBANG_CRLF)
                .answer("/app/server", Cause.ARCH_MISMATCH).answer("/bin/sh", Cause.EMULATED);
        try (ImageArchive archive = ImageArchive.open(image("linux/amd64"))) {
            ScanReport report = new Scanner(engine, IgnoreRules.of(List.of("/bin/*")))
                    .scanImage(archive, "img.tar", List.of());
            List<String> order = report.findings().stream().map(Finding::toString).collect(Collectors.toList());
            assertEquals(List.of("critical ENTRYPOINT /app/server ARCH_MISMATCH [linux/amd64]",
                    "error EXECUTABLE /usr/bin/tool SHEBANG_CRLF [linux/amd64]"), order);
            assertEquals(1, report.ignored());
            assertEquals("exec'd by /entrypoint.sh", report.findings().get(0).role().get());
            assertEquals(1, report.exitCode(Optional.of(Severity.CRITICAL)));
            assertEquals(0, report.exitCode(Optional.empty()));
        }
    }

    @Test
    void requestedPlatformsPickManifestsOfAnIndexAndReportMissingOnes() throws IOException {
        byte[] layer = TestLayer.create().file("/app", 0755, TestElf.elf64(TestElf.EM_X86_64, null)).bytes(Compression.ZSTD);
        Path multi = TestImages.ociArchive(tmp.resolve("multi.tar"), "multi",
                new TestImages.Spec("linux/amd64", List.of("/app"), null).layer(layer),
                new TestImages.Spec("linux/arm64", List.of("/app"), null).layer(layer));
        ScriptedDiagnoser engine = new ScriptedDiagnoser();
        try (ImageArchive archive = ImageArchive.open(multi)) {
            ScanReport report = new Scanner(engine, IgnoreRules.none()).scanImage(archive, "multi.tar",
                    List.of(Platform.parse("linux/arm64"), Platform.parse("linux/s390x")));
            assertEquals(1, report.units().size());
            assertEquals(Platform.parse("linux/arm64"), report.units().get(0).target());
            Finding missing = report.findings().get(0);
            assertEquals(Finding.Kind.IMAGE, missing.kind());
            assertEquals(Severity.CRITICAL, missing.severity());
            assertTrue(missing.diagnosis().summary().contains("no manifest for linux/s390x"), missing.diagnosis().summary());
        }
        try (ImageArchive archive = ImageArchive.open(multi)) {
            assertEquals(2, new Scanner(new ScriptedDiagnoser(), IgnoreRules.none())
                    .scanImage(archive, "multi.tar", List.of()).units().size(), "no --platform: every platform");
        }
    }

    @Test
    void anImageForAnotherOperatingSystemNeedsALinuxTarget() throws IOException {
        try (ImageArchive archive = ImageArchive.open(image("windows/amd64"))) {
            io.execguard.sidecar.scan.image.ImageFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.execguard.sidecar.scan.image.ImageFormatException.class,
                    () -> new Scanner(new ScriptedDiagnoser(), IgnoreRules.none()).scanImage(archive, "w.tar", List.of()));
            assertTrue(e.getMessage().contains("is a windows/amd64 image"), e.getMessage());
            assertEquals(1, new Scanner(new ScriptedDiagnoser(), IgnoreRules.none())
                    .scanImage(archive, "w.tar", List.of(Platform.parse("linux/amd64"))).units().size());
        }
    }

    @Test
    void aSinglePlatformImageIsJudgedAgainstEveryRequestedPlatform() throws IOException {
        ScriptedDiagnoser engine = new ScriptedDiagnoser();
        try (ImageArchive archive = ImageArchive.open(image("linux/amd64"))) {
            ScanReport report = new Scanner(engine, IgnoreRules.none()).scanImage(archive, "img.tar",
                    List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")));
            assertEquals(2, report.units().size());
            assertTrue(engine.requests().stream().anyMatch(r -> r.platform().get().equals(Platform.parse("linux/arm64"))));
        }
    }

    @Test
    void anImageWhoseBinariesContradictItsDeclaredPlatformIsACriticalFinding() throws IOException {
        Evidence amd64 = Evidence.builder().put(Evidence.ELF, Evidence.builder().put("platform", "linux/amd64").build()).build();
        ScriptedDiagnoser engine = new ScriptedDiagnoser().evidence("/bin/sh", amd64).evidence("/app/server", amd64);
        try (ImageArchive archive = ImageArchive.open(image("linux/arm64"))) {
            ScanReport report = new Scanner(engine, IgnoreRules.none()).scanImage(archive, "img.tar", List.of());
            Finding f = report.findings().get(0);
            assertEquals(Finding.Kind.IMAGE, f.kind());
            assertEquals(Cause.ARCH_MISMATCH, f.diagnosis().cause());
            assertTrue(f.diagnosis().summary().startsWith("The image declares linux/arm64 but 2 of its 2 ELF"),
                    f.diagnosis().summary());
        }
    }

    @Test
    void aLoaderOfTheOtherLibcIsExplainedAsALibcMismatch() {
        Diagnosis glibcBinary = Diagnosis.builder("/usr/bin/app", Cause.ELF_INTERPRETER_MISSING, Platform.parse("linux/amd64"))
                .evidence(Evidence.builder().put(Evidence.ELF, Evidence.builder().put("libc", "glibc")
                        .put("interpreter", "/lib64/ld-linux-x86-64.so.2").build()).build()).build();
        ImageLibcFixture musl = new ImageLibcFixture("/lib/ld-musl-x86_64.so.1");
        Diagnosis refined = Scanner.refineForLibc(glibcBinary, musl.libc);
        assertTrue(refined.summary().startsWith("A glibc binary in a musl image: its loader /lib64/ld-linux-x86-64.so.2"),
                refined.summary());
        assertTrue(refined.remediation().contains("gcompat"));
        assertSame(glibcBinary, Scanner.refineForLibc(glibcBinary, new ImageLibcFixture("/lib64/ld-linux-x86-64.so.2").libc));
    }

    @Test
    void directoryScanFindsExecutableRegularFilesWithoutFollowingSymlinks() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("bin/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("bin/data"), "x");
        Files.createSymbolicLink(root.resolve("bin/link"), Path.of("tool"));
        Files.createSymbolicLink(root.resolve("outside"), Path.of("/usr/bin"));
        ScriptedDiagnoser engine = new ScriptedDiagnoser().answer("/bin/tool", Cause.SHEBANG_INTERPRETER_MISSING);
        ScanReport report = new Scanner(engine, IgnoreRules.none()).scanDirectory(root, List.of(Platform.parse("linux/amd64")));
        assertEquals(List.of("/bin/tool"), engine.requests().stream().map(DiagnosisRequest::path).collect(Collectors.toList()));
        assertEquals("error EXECUTABLE /bin/tool SHEBANG_INTERPRETER_MISSING [linux/amd64]",
                report.findings().get(0).toString());
        assertEquals(0755, report.findings().get(0).attributes().get().mode());
    }

    @Test
    void aRelativeDirectoryIsScannedLikeItsAbsolutePath() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("rel"));
        Files.writeString(root.resolve("run"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("run"), PosixFilePermissions.fromString("rwx------"));
        Path relative = Path.of("").toAbsolutePath().relativize(root);
        ScriptedDiagnoser engine = new ScriptedDiagnoser().answer("/run", Cause.SHEBANG_INTERPRETER_MISSING);
        ScanReport report = new Scanner(engine, IgnoreRules.none()).scanDirectory(relative, List.of(Platform.parse("linux/amd64")));
        assertEquals(relative.toString(), report.input());
        assertEquals("/run", report.findings().get(0).path());
        assertEquals(0700, report.findings().get(0).attributes().get().mode());
    }

    /** An {@link ImageLibc} read from a one-file image holding {@code loader}. */
    private final class ImageLibcFixture {
        final ImageLibc libc;

        ImageLibcFixture(String loader) {
            try {
                Path file = TestImages.dockerSaveLegacy(Files.createTempFile(tmp, "libc", ".tar"), "l:1",
                        new TestImages.Spec("linux/amd64", List.of(), null).layer(TestLayer.create()
                                .file(loader, 0755, TestElf.elf64(TestElf.EM_X86_64, null)).bytes(Compression.NONE)));
                try (ImageArchive archive = ImageArchive.open(file)) {
                    libc = ImageLibc.of(archive.tree(archive.manifests().get(0),
                            io.execguard.sidecar.scan.image.CapturePolicy.withEntrypointNames(java.util.Set.of()), n -> { }));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
