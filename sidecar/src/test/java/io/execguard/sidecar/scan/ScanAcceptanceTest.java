package io.execguard.sidecar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.sidecar.scan.image.TestElf;
import io.execguard.sidecar.scan.image.TestImages;
import io.execguard.sidecar.scan.image.TestLayer;
import io.execguard.sidecar.scan.image.TestLayer.Compression;
import io.execguard.sidecar.scan.report.SarifSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code execguard scan} end to end with the real core engine over small real images built here: every layout,
 * every layer compression, whiteouts and opaque directories, a multi-platform index, broken entrypoint
 * scripts, wrong-architecture binaries and a glibc binary in a musl image.
 */
class ScanAcceptanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] AMD64 = TestElf.elf64(TestElf.EM_X86_64, null);
    private static final byte[] ARM64 = TestElf.elf64(TestElf.EM_AARCH64, null);
    private static final byte[] GLIBC_AMD64 = TestElf.elf64(TestElf.EM_X86_64, "/lib64/ld-linux-x86-64.so.2");

    @TempDir
    Path tmp;

    @BeforeAll
    static void engineIsMerged() {
        boolean implemented;
        try {
            DiagnosisEngine.forHost().diagnose(DiagnosisRequest.builder("/").build());
            implemented = true;
        } catch (UnsupportedOperationException e) {
            implemented = false;
        }
        assumeTrue(implemented, "the core diagnosis engine is not implemented in this build yet");
    }

    /** A musl image whose entrypoint is CRLF, exec's a wrong-arch server, with a glibc tool and a script without #!. */
    private static TestImages.Spec brokenMuslImage(String platform) {
        byte[] base = TestLayer.create()
                .file("/lib/ld-musl-x86_64.so.1", 0755, AMD64)
                .symlink("/bin/sh", "/bin/busybox")
                .file("/bin/busybox", 0755, AMD64)
                .file("/usr/bin/old-broken", 0755, ARM64)
                .file("/opt/tools/bad", 0755, ARM64)
                .bytes(Compression.GZIP);
        byte[] app = TestLayer.create()
                .file("/docker-entrypoint.sh", 0755, "#!/bin/sh\r\nset -e\r\nexec /app/server \"$@\"\r\n")
                .file("/app/server", 0755, ARM64)
                .file("/usr/bin/glibc-tool", 0755, GLIBC_AMD64)
                .file("/usr/local/bin/noshebang", 0755, "echo no interpreter line\n")
                .whiteout("/usr/bin/old-broken")
                .opaque("/opt/tools")
                .file("/opt/tools/good", 0755, AMD64)
                .bytes(Compression.ZSTD);
        byte[] config = TestLayer.create().file("/etc/app.conf", 0644, "x=1\n").bytes(Compression.NONE);
        return new TestImages.Spec(platform, List.of("/docker-entrypoint.sh"), List.of("serve"))
                .layer(base).layer(app).layer(config);
    }

    private static final List<String> BROKEN_FINDINGS = List.of(
            "critical ENTRYPOINT /docker-entrypoint.sh SHEBANG_CRLF [linux/amd64]",
            "critical ENTRYPOINT /app/server ARCH_MISMATCH [linux/amd64]",
            "error EXECUTABLE /usr/bin/glibc-tool ELF_INTERPRETER_MISSING [linux/amd64]",
            "error EXECUTABLE /usr/local/bin/noshebang SHEBANG_MISSING [linux/amd64]");

    private ScanRun scan(String... args) throws IOException {
        Path out = tmp.resolve("report-" + System.nanoTime());
        List<String> argv = new ArrayList<>(List.of("-o", out.toString()));
        argv.addAll(List.of(args));
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ScanCommand());
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(argv.toArray(new String[0]));
        String report = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        return new ScanRun(exit, report, err.toString());
    }

    private static List<String> findings(String jsonLines) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if (n.at("/event/action").asText().equals("scan-finding")) {
                String path = n.at("/execguard/scan/kind").asText().equals("image")
                        ? n.at("/container/image/name").asText() : n.at("/file/path").asText();
                out.add(n.at("/execguard/scan/severity").asText() + " "
                        + n.at("/execguard/scan/kind").asText().toUpperCase(java.util.Locale.ROOT) + " " + path + " "
                        + n.at("/execguard/diagnosis/cause").asText() + " [" + n.at("/execguard/scan/target_platform").asText() + "]");
            }
        }
        return out;
    }

    @Test
    void legacyDockerSaveWithEveryKindOfBreakage() throws IOException {
        Path image = TestImages.dockerSaveLegacy(tmp.resolve("broken.tar"), "shop/api:1", brokenMuslImage("linux/amd64"));
        ScanRun run = scan("--format", "json", image.toString());
        assertEquals(1, run.exit, run.err);
        assertEquals(BROKEN_FINDINGS, findings(run.report));
        JsonNode glibc = JSON.readTree(run.report.split("\n")[2]);
        assertTrue(glibc.at("/execguard/diagnosis/summary").asText().startsWith("A glibc binary in a musl image"),
                glibc.toString());
        assertEquals("ENOENT", glibc.at("/execguard/diagnosis/errno").asText());
    }

    @Test
    void ociBasedDockerSaveOciLayoutAndOciArchiveGiveTheSameFindings() throws IOException {
        Path saved = TestImages.dockerSaveOci(tmp.resolve("new.tar"), "shop/api:1", brokenMuslImage("linux/amd64"));
        assertEquals(BROKEN_FINDINGS, findings(scan("--format", "json", saved.toString()).report));
        Path layout = TestImages.ociLayout(Files.createDirectory(tmp.resolve("layout")), "v1", brokenMuslImage("linux/amd64"));
        assertEquals(BROKEN_FINDINGS, findings(scan("--format", "json", layout.toString()).report));
        Path archive = TestImages.ociArchive(tmp.resolve("oci.tar"), "v1", brokenMuslImage("linux/amd64"));
        assertEquals(BROKEN_FINDINGS, findings(scan("--format", "json", archive.toString()).report));
    }

    @Test
    void aMuslBinaryInAGlibcImageIsExplainedAsSuch() throws IOException {
        byte[] layer = TestLayer.create()
                .file("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0755, AMD64)
                .symlink("/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
                .file("/usr/bin/glibc-ok", 0755, GLIBC_AMD64)
                .file("/usr/local/bin/from-alpine", 0755, TestElf.elf64(TestElf.EM_X86_64, "/lib/ld-musl-x86_64.so.1"))
                .bytes(Compression.GZIP);
        Path image = TestImages.ociArchive(tmp.resolve("debian.tar"), "debian-app",
                new TestImages.Spec("linux/amd64", List.of("/usr/bin/glibc-ok"), null).layer(layer));
        ScanRun run = scan("--format", "json", image.toString());
        assertEquals(List.of("error EXECUTABLE /usr/local/bin/from-alpine ELF_INTERPRETER_MISSING [linux/amd64]"),
                findings(run.report));
        JsonNode f = JSON.readTree(run.report.split("\n")[0]);
        assertTrue(f.at("/execguard/diagnosis/summary").asText().startsWith("A musl binary in a glibc image"),
                f.toString());
        assertEquals("glibc", f.at("/execguard/scan/image_libc").asText());
    }

    @Test
    void anArm64ImageCarryingAmd64BinariesIsCaught() throws IOException {
        byte[] layer = TestLayer.create().file("/bin/app", 0755, AMD64).file("/bin/helper", 0755, AMD64)
                .bytes(Compression.GZIP);
        Path image = TestImages.dockerSaveLegacy(tmp.resolve("wrong.tar"), "wrong:1",
                new TestImages.Spec("linux/arm64", List.of("/bin/app"), null).layer(layer));
        ScanRun run = scan("--format", "json", image.toString());
        assertEquals(1, run.exit, run.err);
        assertEquals(List.of(
                "critical IMAGE wrong:1 ARCH_MISMATCH [linux/arm64]",
                "critical ENTRYPOINT /bin/app ARCH_MISMATCH [linux/arm64]",
                "error EXECUTABLE /bin/helper ARCH_MISMATCH [linux/arm64]"), findings(run.report));
    }

    @Test
    void multiPlatformIndexIsScannedPerPlatformOrAsRequested() throws IOException {
        byte[] good = TestLayer.create().file("/app", 0755, AMD64).bytes(Compression.GZIP);
        byte[] armOk = TestLayer.create().file("/app", 0755, ARM64).bytes(Compression.ZSTD);
        byte[] armBad = TestLayer.create().file("/app", 0755, AMD64).bytes(Compression.ZSTD);
        Path healthy = TestImages.ociArchive(tmp.resolve("ok.tar"), "multi",
                new TestImages.Spec("linux/amd64", List.of("/app"), null).layer(good),
                new TestImages.Spec("linux/arm64", List.of("/app"), null).layer(armOk));
        assertEquals(0, scan(healthy.toString()).exit);
        Path broken = TestImages.ociArchive(tmp.resolve("bad.tar"), "multi",
                new TestImages.Spec("linux/amd64", List.of("/app"), null).layer(good),
                new TestImages.Spec("linux/arm64", List.of("/app"), null).layer(armBad));
        ScanRun all = scan("--format", "json", broken.toString());
        assertEquals(1, all.exit);
        assertEquals(List.of("critical IMAGE multi ARCH_MISMATCH [linux/arm64]",
                "critical ENTRYPOINT /app ARCH_MISMATCH [linux/arm64]"), findings(all.report));
        assertEquals(0, scan("--platform", "linux/amd64", broken.toString()).exit);
        ScanRun both = scan("--format", "json", "--platform", "linux/amd64,linux/arm64", broken.toString());
        assertEquals(1, both.exit);
    }

    @Test
    void sarifOfARealScanValidates() throws IOException {
        Path image = TestImages.dockerSaveLegacy(tmp.resolve("broken.tar"), "shop/api:1", brokenMuslImage("linux/amd64"));
        ScanRun run = scan("--format", "sarif", image.toString());
        assertEquals(1, run.exit);
        assertEquals(List.of(), SarifSchema.validate(run.report));
        List<String> rules = new ArrayList<>();
        JSON.readTree(run.report).at("/runs/0/results").forEach(r -> rules.add(r.get("ruleId").asText()));
        assertEquals(List.of("SHEBANG_CRLF", "ARCH_MISMATCH", "ELF_INTERPRETER_MISSING", "SHEBANG_MISSING"), rules);
    }

    @Test
    void directoryIsScannedAsARoot() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("rootfs"));
        write(root, "bin/sh", AMD64, "rwxr-xr-x");
        write(root, "usr/bin/ok.sh", "#!/bin/sh\necho ok\n".getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
        write(root, "usr/bin/crlf.sh", "#!/bin/sh\r\necho ok\r\n".getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
        write(root, "usr/bin/needs-bash", "#!/bin/bash\necho\n".getBytes(StandardCharsets.UTF_8), "rwxr-x---");
        write(root, "usr/share/doc/readme", "text".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        ScanRun run = scan("--format", "json", "--platform", "linux/amd64", root.toString());
        assertEquals(1, run.exit, run.err);
        assertEquals(List.of(
                "error EXECUTABLE /usr/bin/crlf.sh SHEBANG_CRLF [linux/amd64]",
                "error EXECUTABLE /usr/bin/needs-bash SHEBANG_INTERPRETER_MISSING [linux/amd64]"),
                findings(run.report));
        assertEquals(0, scan("--ignore", "/usr/bin/*", "--platform", "linux/amd64", root.toString()).exit);
    }

    @Test
    void armAttributesAtTheEndOfALargeBinaryAreReadFromTheCapturedTail() throws IOException {
        byte[] layer = TestLayer.create().file("/bin/armv7", 0755, TestElf.elf32ArmV7(900_000)).bytes(Compression.GZIP);
        Path image = TestImages.dockerSaveLegacy(tmp.resolve("arm.tar"), "arm:1",
                new TestImages.Spec("linux/arm/v7", List.of("/bin/armv7"), null).layer(layer));
        try (io.execguard.sidecar.scan.image.ImageArchive archive = io.execguard.sidecar.scan.image.ImageArchive.open(image)) {
            io.execguard.sidecar.scan.image.ImageFileTree tree = archive.tree(archive.manifests().get(0),
                    io.execguard.sidecar.scan.image.CapturePolicy.withEntrypointNames(java.util.Set.of()), n -> { });
            assertTrue(tree.capturedBytes() < 300_000, "only head and tail are kept: " + tree.capturedBytes());
            io.execguard.core.diagnose.Diagnosis d = DiagnosisEngine.forHost().diagnose(DiagnosisRequest
                    .builder("/bin/armv7").tree(tree).platform(io.execguard.core.platform.Platform.parse("linux/arm/v7")).build());
            assertEquals(Cause.OK, d.cause(), d.summary());
            assertEquals("linux/arm/v7", d.evidence().group("elf").orElseThrow().string("platform").orElseThrow());
        }
        assertEquals(0, scan(image.toString()).exit);
    }

    @Test
    void entrypointWithoutShebangAndShellFormCommandToAMissingProgram() throws IOException {
        byte[] layer = TestLayer.create().file("/bin/sh", 0755, AMD64)
                .file("/start.sh", 0755, "cd /srv\nexec ./server\n").bytes(Compression.NONE);
        Path noShebang = TestImages.dockerSaveLegacy(tmp.resolve("a.tar"), "a:1",
                new TestImages.Spec("linux/amd64", List.of("/start.sh"), null).layer(layer));
        assertEquals(List.of("critical ENTRYPOINT /start.sh SHEBANG_MISSING [linux/amd64]"),
                findings(scan("--format", "json", noShebang.toString()).report));
        Path shellForm = TestImages.dockerSaveLegacy(tmp.resolve("b.tar"), "b:1",
                new TestImages.Spec("linux/amd64", List.of(), List.of("/bin/sh", "-c", "exec /opt/missing --serve"))
                        .layer(layer));
        ScanRun run = scan("--format", "json", shellForm.toString());
        assertEquals(1, run.exit);
        assertEquals(List.of("critical ENTRYPOINT /opt/missing NOT_FOUND [linux/amd64]",
                "error EXECUTABLE /start.sh SHEBANG_MISSING [linux/amd64]"), findings(run.report));
    }

    private static void write(Path root, String rel, byte[] content, String perms) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private static final class ScanRun {
        final int exit;
        final String report;
        final String err;

        ScanRun(int exit, String report, String err) {
            this.exit = exit;
            this.report = report;
            this.err = err;
        }
    }
}
