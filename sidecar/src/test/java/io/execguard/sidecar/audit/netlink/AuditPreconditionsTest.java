package io.execguard.sidecar.audit.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.linux.ErrnoException;
import io.execguard.linux.LinuxErrno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which precondition an errno means, decided from a fake {@code /proc/self} (capabilities and namespace links), so
 * every branch is covered, including those this machine cannot produce (no audit in the kernel, a locked config).
 */
class AuditPreconditionsTest {
    private static final String ALL_CAPS = "000001ffffffffff";
    private static final String INIT_PID = "pid:[4026531836]";
    private static final String INIT_USER = "user:[4026531837]";
    private static final String INIT_NET = "net:[4026531833]";

    @TempDir
    Path proc;

    @Test
    void kernelWithoutAuditIsSaidToBeSo() throws IOException {
        AuditPreconditions p = fake(ALL_CAPS, INIT_PID, INIT_USER, INIT_NET);
        AuditException e = p.explainSocketFailure(new ErrnoException("socket(AF_NETLINK)",
                LinuxErrno.EPROTONOSUPPORT));
        assertEquals(AuditException.Problem.AUDIT_UNAVAILABLE, e.problem());
        assertEquals("This kernel has no audit support (socket(AF_NETLINK): EPROTONOSUPPORT): it was built without"
                + " CONFIG_AUDIT or booted with audit=0.", e.getMessage());
    }

    @Test
    void epermIsExplainedByWhatIsMissing() throws IOException {
        assertEquals(AuditException.Problem.NOT_INITIAL_PID_NAMESPACE, fake(ALL_CAPS, "pid:[4026532999]", INIT_USER,
                INIT_NET).explainControlFailure(LinuxErrno.EPERM, "x", false).problem());
        assertEquals(AuditException.Problem.MISSING_CAP_AUDIT_CONTROL, fake("0000000000000000", INIT_PID, INIT_USER,
                INIT_NET).explainControlFailure(LinuxErrno.EPERM, "x", false).problem());
        assertEquals(AuditException.Problem.LOCKED, fake(ALL_CAPS, INIT_PID, INIT_USER, INIT_NET)
                .explainControlFailure(LinuxErrno.EPERM, "add an audit rule", true).problem());
        assertEquals(AuditException.Problem.REJECTED, fake(ALL_CAPS, INIT_PID, INIT_USER, INIT_NET)
                .explainControlFailure(LinuxErrno.EINVAL, "add an audit rule", false).problem());
        assertEquals(AuditException.Problem.NOT_INITIAL_USER_NAMESPACE, fake(ALL_CAPS, INIT_PID, INIT_USER, INIT_NET)
                .explainControlFailure(LinuxErrno.ECONNREFUSED, "x", false).problem());
    }

    @Test
    void capAuditReadIsBit37() throws IOException {
        // CAP_AUDIT_CONTROL (30) without CAP_AUDIT_READ (37).
        AuditPreconditions p = fake("0000000040000000", INIT_PID, INIT_USER, INIT_NET);
        assertTrue(p.hasCapability(AuditPreconditions.CAP_AUDIT_CONTROL));
        assertFalse(p.hasCapability(AuditPreconditions.CAP_AUDIT_READ));
        AuditException e = p.explainMulticastFailure(new ErrnoException("bind", LinuxErrno.EPERM));
        assertEquals(AuditException.Problem.MISSING_CAP_AUDIT_READ, e.problem());
    }

    @Test
    void initialNetworkNamespaceIsRecognisedByItsFixedInode() throws IOException {
        assertEquals(Optional.of(true), fake(ALL_CAPS, INIT_PID, INIT_USER, INIT_NET).inInitialNetworkNamespace());
        assertEquals(Optional.of(false), fake(ALL_CAPS, INIT_PID, INIT_USER, "net:[4026532177]")
                .inInitialNetworkNamespace(), "6.18 numbers init_net 0xEFFFFFF9, so anything else is a child");
    }

    private AuditPreconditions fake(String capEff, String pid, String user, String net) throws IOException {
        Path self = Files.createDirectories(proc.resolve(String.valueOf(System.nanoTime())).resolve("self"));
        Files.writeString(self.resolve("status"), "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t" + capEff
                + "\n");
        Path sys = Files.createDirectories(self.resolveSibling("sys/kernel"));
        Files.writeString(sys.resolve("osrelease"), "6.18.44-fc-v595\n");
        Path ns = Files.createDirectory(self.resolve("ns"));
        Files.createSymbolicLink(ns.resolve("pid"), Path.of(pid));
        Files.createSymbolicLink(ns.resolve("user"), Path.of(user));
        Files.createSymbolicLink(ns.resolve("net"), Path.of(net));
        return AuditPreconditions.of(self);
    }
}
