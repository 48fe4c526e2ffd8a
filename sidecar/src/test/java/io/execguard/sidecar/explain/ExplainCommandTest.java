package io.execguard.sidecar.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.execguard.sidecar.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code execguard explain}: exit codes, human blocks, and the JSON lines' Elastic Common Schema fields. */
class ExplainCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path script(String name, String text) throws IOException {
        Path p = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** A JSON object flattened to dotted names: {@code file.elf.header.class} and so on. */
    static Map<String, String> flatten(String json) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            List<String> path = new ArrayList<>();
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                } else if (t == JsonToken.START_OBJECT) {
                    if (field != null) {
                        path.add(field);
                    }
                    field = null;
                } else if (t == JsonToken.END_OBJECT) {
                    if (!path.isEmpty()) {
                        path.remove(path.size() - 1);
                    }
                } else if (t.isScalarValue()) {
                    out.put(String.join(".", path) + (path.isEmpty() ? "" : ".") + field, p.getText());
                }
            }
        }
        return out;
    }

    @Test
    void exitZeroWhenEverythingRuns() {
        Run r = run("explain", "/bin/true", "/bin/sh");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("/bin/true\n  cause:       OK"), r.out());
    }

    @Test
    void exitOneAndAHumanBlockPerFile() throws IOException {
        Path s = script("no-shebang.sh", "echo hi\n");
        Run r = run("explain", "/bin/true", s.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("cause:       SHEBANG_MISSING (execve: ENOEXEC, Exec format error) - will not run"),
                r.out());
        assertTrue(r.out().contains("remediation: Add an interpreter line"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void jsonLinesWithEcsNames() throws IOException {
        script("crlf.sh", "#!/bin/sh\r\necho\r\n");
        Run r = run("explain", "--json", "--root", dir.toString(), "crlf.sh", "/bin/true");
        assertEquals(1, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length, r.out());
        Map<String, String> script = flatten(lines[0]);
        assertEquals("crlf.sh", script.get("file.path"), "file.path exactly as given");
        assertEquals("17", script.get("file.size"));
        assertEquals("0755", script.get("file.mode"));
        assertEquals("SHEBANG_CRLF", script.get("execguard.diagnosis.cause"));
        assertEquals("ENOENT", script.get("execguard.diagnosis.errno"));
        assertEquals("false", script.get("execguard.diagnosis.runnable"));
        assertEquals("#!/bin/sh\\r", script.get("execguard.diagnosis.evidence.script.shebang"));
        assertTrue(script.containsKey("execguard.diagnosis.summary"));
        assertTrue(script.containsKey("execguard.diagnosis.remediation"));
        assertTrue(script.containsKey("execguard.diagnosis.platform"));
        assertTrue(script.containsKey("host.architecture"));
        Map<String, String> missing = flatten(lines[1]);
        assertEquals("NOT_FOUND", missing.get("execguard.diagnosis.cause"), "/bin/true is not inside --root");
    }

    @Test
    void elfFieldsAndPlatform() throws IOException {
        Run r = run("explain", "--json", "--platform", "linux/arm64", "/bin/true");
        assertEquals(1, r.exit());
        Map<String, String> m = flatten(r.out().trim());
        assertEquals("/bin/true", m.get("file.path"));
        assertEquals("x86-64", m.get("file.elf.architecture"));
        assertEquals("ELF64", m.get("file.elf.header.class"));
        assertEquals("LSB", m.get("file.elf.header.data"));
        assertEquals("DYN", m.get("file.elf.header.type"));
        assertEquals("ARCH_MISMATCH", m.get("execguard.diagnosis.cause"));
        assertEquals("linux/arm64", m.get("execguard.diagnosis.platform"));
        assertEquals("x86_64", m.get("host.architecture"));
    }

    @Test
    void filesFromAFileInInputOrder() throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            paths.add(i % 2 == 0 ? "/bin/true" : script("s" + i, "#!/bin/sh\n").toString());
        }
        Path list = Files.write(dir.resolve("list"), paths);
        Run r = run("explain", "--json", "--threads", "3", "--files-from", list.toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(40, lines.length);
        for (int i = 0; i < 40; i++) {
            assertEquals(paths.get(i), flatten(lines[i]).get("file.path"));
        }
    }

    @Test
    void usageErrorsAreOneSentenceAndExitTwo() {
        for (String[] args : List.of(
                new String[] {"explain", "--platform", "linux/", "/bin/true"},
                new String[] {"explain", "--platform", "windows/amd64", "/bin/true"},
                new String[] {"explain"},
                new String[] {"explain", "--files-from", dir.resolve("absent").toString()},
                new String[] {"explain", "--root", dir.resolve("absent").toString(), "/x"},
                new String[] {"explain", "--no-such-option", "/bin/true"},
                new String[] {"no-such-command"},
                new String[] {})) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("execguard"), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void helpDocumentsExitCodes() {
        Run r = run("explain", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Exit codes:") && r.out().contains("at least one file will not run"), r.out());
        assertTrue(run("--version").out().startsWith("execguard "));
    }
}
