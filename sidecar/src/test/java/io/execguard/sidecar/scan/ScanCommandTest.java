package io.execguard.sidecar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.sidecar.scan.image.TestElf;
import io.execguard.sidecar.scan.image.TestImages;
import io.execguard.sidecar.scan.image.TestLayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes, options and error sentences of {@code execguard scan}. */
class ScanCommandTest {
    @TempDir
    Path tmp;

    private Path image;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void image() throws IOException {
        byte[] layer = TestLayer.create().file("/app", 0755, TestElf.elf64(TestElf.EM_X86_64, null))
                .file("/emu", 0755, "x").bytes(TestLayer.Compression.GZIP);
        image = TestImages.dockerSaveLegacy(tmp.resolve("img.tar"), "app:1",
                new TestImages.Spec("linux/amd64", List.of("/app"), null).layer(layer));
    }

    private int run(ScriptedDiagnoser engine, String... args) {
        CommandLine cmd = new CommandLine(new ScanCommand(engine));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        return cmd.execute(args);
    }

    private String out() throws IOException {
        return Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8);
    }

    @Test
    void exitsZeroWhenClean() throws IOException {
        assertEquals(0, run(new ScriptedDiagnoser(), "-o", tmp.resolve("out").toString(), image.toString()));
        assertTrue(out().contains("No findings"));
    }

    @Test
    void exitsOneForFindingsAtOrAboveFailOn() {
        ScriptedDiagnoser emulated = new ScriptedDiagnoser().answer("/emu", Cause.EMULATED);
        String out = tmp.resolve("out").toString();
        assertEquals(0, run(emulated, "-o", out, image.toString()), "warnings are below the default (error)");
        assertEquals(1, run(emulated, "-o", out, "--fail-on", "warning", image.toString()));
        ScriptedDiagnoser broken = new ScriptedDiagnoser().answer("/app", Cause.ARCH_MISMATCH);
        assertEquals(1, run(broken, "-o", out, image.toString()));
        assertEquals(1, run(broken, "-o", out, "--fail-on", "critical", image.toString()), "entrypoint: critical");
        assertEquals(0, run(broken, "-o", out, "--fail-on", "none", image.toString()));
        assertEquals(0, run(broken, "-o", out, "--ignore", "/app", image.toString()));
    }

    @Test
    void exitsTwoWithOneSentenceForUsageErrorsAndUnreadableInput() throws IOException {
        String out = tmp.resolve("out").toString();
        assertEquals(2, run(new ScriptedDiagnoser(), "--format", "xml", image.toString()));
        assertTrue(err.toString().contains("--format: 'xml' is not one of text, json, sarif"), err.toString());
        assertEquals(2, run(new ScriptedDiagnoser(), "--platform", "linux//arm", image.toString()));
        assertEquals(2, run(new ScriptedDiagnoser(), "--fail-on", "sometimes", image.toString()));
        assertEquals(2, run(new ScriptedDiagnoser(), "--platform", "windows/amd64", image.toString()));
        assertTrue(err.toString().contains("windows/amd64 is not a Linux platform"), err.toString());
        assertEquals(2, run(new ScriptedDiagnoser(), "-o", out, tmp.resolve("missing.tar").toString()));
        assertTrue(err.toString().contains("execguard scan: " + tmp.resolve("missing.tar") + " does not exist"));
        Path garbage = Files.writeString(tmp.resolve("garbage"), "not an image");
        assertEquals(2, run(new ScriptedDiagnoser(), "-o", out, garbage.toString()));
        assertEquals(2, run(new ScriptedDiagnoser()));
    }

    @Test
    void helpDocumentsExitCodesAndSeverities() {
        StringWriter help = new StringWriter();
        CommandLine cmd = new CommandLine(new ScanCommand(new ScriptedDiagnoser()));
        cmd.setOut(new PrintWriter(help, true));
        assertEquals(0, cmd.execute("--help"));
        String text = help.toString();
        for (String expected : new String[] {"Exit codes:", "--fail-on", "--ignore", "--platform", "critical", "docs/scan.md"}) {
            assertTrue(text.contains(expected), expected + " in\n" + text);
        }
    }

    @Test
    void noProgressBarWhenStderrIsNotATerminal() {
        // Surefire pipes the forked JVM's stderr: this is the CI situation.
        assertEquals(false, Progress.stderrIsTerminal());
    }
}
