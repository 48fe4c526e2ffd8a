package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.HostFileTree;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.ExecFailureExtractor;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod scope on this machine's real /proc: a failure belongs to "the pod" when some visible process's root holds
 * the very file (device and inode) the PATH record names - here the test JVM's own root does.
 */
class PodScopeTest {
    @TempDir
    Path dir;

    private ExecFailure failure(Path file, long inode, String dev) throws Exception {
        AuditRecordParser p = new AuditRecordParser();
        String stamp = "msg=audit(1795718255.067:9): ";
        return ExecFailureExtractor.from(AuditEvent.of(List.of(
                p.parseLogLine("type=SYSCALL " + stamp + "arch=c000003e syscall=59 success=no exit=-8 pid=999999"
                        + " ppid=999998"),
                p.parseLogLine("type=CWD " + stamp + "cwd=\"" + file.getParent() + "\""),
                p.parseLogLine("type=PATH " + stamp + "item=0 name=\"" + file.getFileName() + "\" inode=" + inode
                        + " dev=" + dev)))).orElseThrow();
    }

    @Test
    void matchesByDeviceAndInodeInAVisibleRoot() throws Exception {
        Path f = Files.writeString(dir.resolve("entrypoint"), "echo\n");
        FileAttributes a = HostFileTree.root().lookup(f.toString()).attributes().orElseThrow();
        String dev = String.format("%02x:%02x", a.deviceMajor(), a.deviceMinor());
        PodScope scope = new PodScope(ProcReader.system(), root -> HostFileTree.of(Path.of(root)));
        Optional<CallerProcess> where = scope.locate(failure(f, a.inode(), dev));
        assertTrue(where.isPresent(), "the test JVM's root holds the file");
        assertTrue(where.get().root().matches("/proc/\\d+/root"), where.get().root());
        assertEquals(Optional.empty(), scope.locate(failure(f, a.inode() + 1, dev)), "same path, other file");
        assertEquals(Optional.empty(), scope.locate(failure(f, a.inode(), "ff:ff")), "other device");
    }

    @Test
    void parsesAuditDeviceNumbers() {
        assertEquals(0xfe, PodScope.parseDevice("fe:00")[0]);
        assertEquals(0x103, PodScope.parseDevice("103:2")[0]);
        assertEquals(null, PodScope.parseDevice("garbage"));
    }
}
