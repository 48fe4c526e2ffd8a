package io.execguard.sidecar.audit.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.HostFileTree;
import io.execguard.sidecar.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditLogConverterTest {
    @TempDir
    Path dir;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Runs the converter over {@code log} with {@code threads} pool threads; returns the events written. */
    private static List<JsonNode> convert(AuditLogConverter[] keep, int threads, String... logs) throws Exception {
        return parse(convertRaw(keep, threads, AuditLogConverter.CHUNK, logs));
    }

    private static String convertRaw(AuditLogConverter[] keep, int threads, int chunk, String... logs)
            throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (AuditLogConverter c = new AuditLogConverter(Optional.of(DiagnosisEngine.forHost()),
                HostFileTree.root(), json, threads, chunk)) {
            for (String log : logs) {
                c.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
            }
            c.finish();
            keep[0] = c;
        }
        return json.toString(StandardCharsets.UTF_8);
    }

    private static List<JsonNode> parse(String jsonLines) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (!line.isEmpty()) {
                events.add(MAPPER.readTree(line));
            }
        }
        return events;
    }

    /** An executable text file without {@code #!} here, which the events below name. */
    private Path f;
    private long inode;
    private String dev;

    @BeforeEach
    void noShebangFile() throws Exception {
        f = dir.resolve("no-shebang");
        Files.writeString(f, "echo hi\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        FileAttributes a = HostFileTree.root().lookup(f.toString()).attributes().orElseThrow();
        inode = a.inode();
        dev = String.format("%02x:%02x", a.deviceMajor(), a.deviceMinor());
    }

    /** A failed exec of the no-shebang file, as auditd logs it with a node= prefix. */
    private String event(long serial) {
        return event(serial, f, inode, dev);
    }

    private String event(long serial, Path file, long inode, String dev) {
        String stamp = "audit(1795718255.067:" + serial + "): ";
        return "node=build-7 type=SYSCALL msg=" + stamp + "arch=c000003e syscall=59 success=no exit=-8 items=1"
                + " ppid=1 pid=2 uid=0 gid=0 euid=0 egid=0 comm=\"sh\" exe=\"/usr/bin/dash\" key=\"execguard\"\n"
                + "node=build-7 type=CWD msg=" + stamp + "cwd=\"" + file.getParent() + "\"\n"
                + "node=build-7 type=PATH msg=" + stamp + "item=0 name=\"" + file.getFileName() + "\" inode=" + inode
                + " dev=" + dev + " nametype=NORMAL\n"
                + "node=build-7 type=EOE msg=" + stamp + "\n";
    }

    @Test
    void diagnosesOnlyWhenTheFileHereIsTheRecordedOne() throws Exception {
        String log = event(1) + event(2, f, inode + 1, dev)
                + "garbage that is not a record\n" + "type=SYSCALL msg=audit(1795718255.067:3): arch=c000003e"
                + " syscall=59 success=no exit=-2 items=1 pid=3\ntype=PATH msg=audit(1795718255.067:3): item=0"
                + " name=\"/usr/local/bin/x\" nametype=UNKNOWN\ntype=EOE msg=audit(1795718255.067:3): \n";
        AuditLogConverter[] c = new AuditLogConverter[1];
        List<JsonNode> out = convert(c, 2, log);
        assertEquals(2, out.size());
        assertEquals(Cause.SHEBANG_MISSING.name(), out.get(0).at("/execguard/diagnosis/cause").asText());
        assertTrue(out.get(1).at("/execguard/diagnosis").isMissingNode(), "another inode: not the file the records name");
        assertTrue(out.get(1).at("/execguard/details/diagnosis_skipped").asText().contains("no longer the file"));
        assertEquals("build-7", out.get(0).at("/host/hostname").asText());
        assertEquals(1, c[0].malformed());
        assertEquals(Optional.of("line 9: no type= at the start of the line"), c[0].firstError());
        assertEquals(1, c[0].ignored(), "ENOENT of a missing file");
        assertEquals(2, c[0].failures());
        assertEquals(0, c[0].stats().lostEvents());
    }

    /**
     * Many events, some with their records interleaved with the next event's, read with chunk boundaries at
     * every few lines and on several threads: every failure comes out once, in log order, and the output is the
     * same bytes whatever the chunking and the thread count.
     */
    @Test
    void chunkingAndThreadsChangeNothing() throws Exception {
        StringBuilder log = new StringBuilder();
        int n = 3000;
        for (int serial = 1; serial <= n; serial += 2) {
            String[] first = event(serial).split("(?<=\n)");
            String[] second = event(serial + 1).split("(?<=\n)");
            for (int i = 0; i < first.length; i++) { // records of two events interleaved, as two CPUs write them
                log.append(first[i]).append(second[i]);
            }
        }
        AuditLogConverter[] c = new AuditLogConverter[1];
        String reference = convertRaw(c, 1, AuditLogConverter.CHUNK, log.toString());
        List<JsonNode> events = parse(reference);
        assertEquals(n, events.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, events.get(i).at("/execguard/details/audit/serial").asLong(), "log order");
        }
        assertEquals(n, c[0].failures());
        assertEquals(4L * n, c[0].lines());
        for (int chunk : new int[] {1, 7, 100, 4096}) {
            for (int threads : new int[] {1, 3}) {
                String json = convertRaw(c, threads, chunk, log.toString());
                long lines = json.chars().filter(ch -> ch == '\n').count();
                assertTrue(reference.equals(json), "chunk " + chunk + ", threads " + threads + ": " + lines + " lines");
            }
        }
    }

    /** An event whose records are split over two files (a rotation) is one event; a file without a final newline ends its last line. */
    @Test
    void eventsSpanFilesAndTheLastLineNeedsNoNewline() throws Exception {
        String e = event(5);
        int cut = e.indexOf("node=build-7 type=PATH");
        String older = e.substring(0, cut);
        String newer = e.substring(cut, e.length() - 1); // no final newline
        AuditLogConverter[] c = new AuditLogConverter[1];
        List<JsonNode> out = convert(c, 2, older, newer);
        assertEquals(1, out.size());
        assertTrue(out.get(0).at("/execguard/details/audit/complete").asBoolean());
        assertEquals(f.toString(), out.get(0).at("/file/path").asText());
        assertEquals(0, c[0].malformed());
    }

    /** A line longer than a chunk is cut and counted malformed; the records around it are still read. */
    @Test
    void aLineLongerThanAChunkIsMalformedNotFatal() throws Exception {
        String log = event(1) + "x".repeat(10_000) + "\n" + event(2);
        AuditLogConverter[] c = new AuditLogConverter[1];
        List<JsonNode> out = parse(convertRaw(c, 2, 4096, log));
        assertEquals(2, out.size());
        assertTrue(c[0].malformed() >= 1);
    }

    @Test
    void unreadableFilesGiveExitCodeOneAndOneSentence() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("audit", "read", "--quiet", dir.resolve("missing.log").toString(), dir.toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("cannot read " + dir.resolve("missing.log") + ": no such file"), err::toString);
        assertTrue(err.toString().contains("cannot read " + dir + ": it is a directory"), err::toString);
        assertEquals(2, Main.commandLine().execute("audit", "read"), "no file is a usage error");
    }
}
