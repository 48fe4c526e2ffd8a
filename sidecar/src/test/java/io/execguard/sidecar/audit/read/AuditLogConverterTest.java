package io.execguard.sidecar.audit.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.HostFileTree;
import io.execguard.sidecar.cli.Main;
import io.execguard.sidecar.watch.ExplainedFailure;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditLogConverterTest {
    @TempDir
    Path dir;

    private final List<ExplainedFailure> out = new ArrayList<>();

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
        Path f = dir.resolve("no-shebang");
        Files.writeString(f, "echo hi\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        FileAttributes a = HostFileTree.root().lookup(f.toString()).attributes().orElseThrow();
        String dev = String.format("%02x:%02x", a.deviceMajor(), a.deviceMinor());
        String log = event(1, f, a.inode(), dev) + event(2, f, a.inode() + 1, dev)
                + "garbage that is not a record\n" + "type=SYSCALL msg=audit(1795718255.067:3): arch=c000003e"
                + " syscall=59 success=no exit=-2 items=1 pid=3\ntype=PATH msg=audit(1795718255.067:3): item=0"
                + " name=\"/usr/local/bin/x\" nametype=UNKNOWN\ntype=EOE msg=audit(1795718255.067:3): \n";
        AuditLogConverter c = new AuditLogConverter(Optional.of(DiagnosisEngine.forHost()), HostFileTree.root(),
                out::add);
        c.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
        c.finish();
        assertEquals(2, out.size());
        assertEquals(Cause.SHEBANG_MISSING, out.get(0).diagnosis().orElseThrow().cause());
        assertTrue(out.get(1).diagnosis().isEmpty(), "another inode: not the file the records name");
        assertTrue(out.get(1).diagnosisSkipped().orElseThrow().contains("no longer the file"));
        assertEquals(Optional.of("build-7"), out.get(0).failure().node());
        assertEquals(1, c.malformed());
        assertEquals(1, c.ignored(), "ENOENT of a missing file");
        assertEquals(0, c.stats().lostEvents());
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
