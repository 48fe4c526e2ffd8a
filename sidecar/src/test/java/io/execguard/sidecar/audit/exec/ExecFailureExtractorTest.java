package io.execguard.sidecar.audit.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Errno;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.reassemble.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** On events recorded on Linux 6.18 (multicast) and from older kernels' logs. */
class ExecFailureExtractorTest {
    private final AuditRecordParser parser = new AuditRecordParser();

    private AuditEvent event(String... lines) throws Exception {
        List<io.execguard.sidecar.audit.parse.AuditRecord> records = new ArrayList<>();
        for (String l : lines) {
            records.add(parser.parseLogLine(l));
        }
        return AuditEvent.of(records);
    }

    @Test
    void crlfScriptRunByDash() throws Exception {
        ExecFailure f = ExecFailureExtractor.from(event(
                "type=SYSCALL msg=audit(1795718255.067:214): arch=c000003e syscall=59 success=no exit=-2"
                        + " a0=55a26ef4c998 a1=55a26ef4c9c0 a2=55a296bedad8 a3=8 items=2 ppid=8176 pid=8178"
                        + " auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none)"
                        + " ses=4294967295 comm=\"sh\" exe=\"/usr/bin/dash\" key=\"execguard-watch-test\"",
                "type=CWD msg=audit(1795718255.067:214): cwd=\"/tmp/wcap\"",
                "type=PATH msg=audit(1795718255.067:214): item=0 name=\"./crlf.sh\" inode=2146669 dev=fe:00"
                        + " mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0"
                        + " cap_fver=0 cap_frootid=0",
                "type=PATH msg=audit(1795718255.067:214): item=1 name=2F62696E2F73680D nametype=UNKNOWN cap_fp=0"
                        + " cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0",
                "type=PROCTITLE msg=audit(1795718255.067:214): proctitle=7368002D63002E2F63726C662E7368")).orElseThrow();
        assertEquals(Optional.of(Errno.ENOENT), f.errno());
        assertEquals("ENOENT", f.errorCode());
        assertEquals(ExecSyscalls.X86_64, f.arch());
        assertEquals("execve", f.syscall());
        assertEquals(8178, f.pid());
        assertEquals(8176, f.ppid());
        assertEquals(Optional.of("/tmp/wcap/crlf.sh"), f.absoluteTarget());
        assertTrue(f.target().orElseThrow().exists());
        assertEquals("/bin/sh\r", f.paths().get(1).name());
        assertFalse(f.paths().get(1).exists());
        assertEquals(List.of("sh", "-c", "./crlf.sh"), f.argv());
        assertEquals(List.of("execguard-watch-test"), f.keys());
        assertTrue(f.loginUid().isEmpty());
    }

    @Test
    void i386ExecveatOnAarch64AndOtherSyscalls() throws Exception {
        Optional<ExecFailure> compat = ExecFailureExtractor.from(event("type=SYSCALL msg=audit(1.000:1): arch=40000003"
                + " syscall=358 success=no exit=-8 pid=5 ppid=4 uid=1000 auid=1000 comm=\"a.out\" exe=\"/a.out\""));
        assertEquals("execveat", compat.orElseThrow().syscall());
        assertEquals("b32", compat.get().arch().bits());
        assertEquals(1000, compat.get().loginUid().getAsLong());
        Optional<ExecFailure> arm = ExecFailureExtractor.from(event("type=SYSCALL msg=audit(1.000:2): arch=c00000b7"
                + " syscall=221 success=no exit=-13 pid=5 ppid=4"));
        assertEquals(Optional.of(Errno.EACCES), arm.orElseThrow().errno());
        // unlinkat ENOENT (an RHEL 8 log), a successful exec, and an exec returning an unknown errno
        assertTrue(ExecFailureExtractor.from(event("node=web type=SYSCALL msg=audit(1624686309.524:1713):"
                + " arch=c000003e syscall=87 success=no exit=-2 pid=5216")).isEmpty());
        assertTrue(ExecFailureExtractor.from(event("type=SYSCALL msg=audit(1.000:3): arch=c000003e syscall=59"
                + " success=yes exit=0 pid=1")).isEmpty());
        ExecFailure odd = ExecFailureExtractor.from(event("type=SYSCALL msg=audit(1.000:4): arch=c000003e"
                + " syscall=59 success=no exit=-7 pid=1")).orElseThrow();
        assertEquals("E2BIG", odd.errorCode());
        ExecFailure unknown = ExecFailureExtractor.from(event("type=SYSCALL msg=audit(1.000:5): arch=c000003e"
                + " syscall=59 success=no exit=-12 pid=1")).orElseThrow();
        assertEquals("12", unknown.errorCode());
    }

    @Test
    void relativeTargetsAreNormalisedAgainstCwd() {
        assertEquals("/a/b/c", ExecFailure.normalize("/a/./b//c/"));
        assertEquals("/a/../b", ExecFailure.normalize("/a/../b"));
        assertEquals("/", ExecFailure.normalize("/."));
    }

    @Test
    void multipleKeysAreSplit() throws Exception {
        // auditctl -k a -k b: the kernel joins keys with 0x01 and hex-encodes the field.
        ExecFailure f = ExecFailureExtractor.from(event("type=SYSCALL msg=audit(1.000:6): arch=c000003e syscall=59"
                + " success=no exit=-8 pid=1 key=61016262")).orElseThrow();
        assertEquals(List.of("a", "bb"), f.keys());
    }
}
