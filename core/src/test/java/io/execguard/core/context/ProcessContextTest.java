package io.execguard.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads this machine's real {@code /proc}: this JVM, children started here, and children that die mid-read. */
class ProcessContextTest {
    private final List<Process> children = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsThisJvm() throws IOException {
        ProcessContext self = ProcessContext.self().orElseThrow();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertEquals(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L), self.parentPid());
        assertEquals("java", self.name());
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath().toString(),
                self.executable().orElseThrow());
        assertEquals(Path.of("").toAbsolutePath().toRealPath().toString(), self.workingDirectory().orElseThrow());
        assertTrue(self.args().get(0).endsWith("java"), self.args().toString());
        assertEquals(ProcessHandle.current().info().arguments().map(List::of).orElseThrow(),
                self.args().subList(1, self.args().size()));

        Map<String, String> status = ProcessContextReader.parseStatus(
                Files.readString(Path.of("/proc/self/status")));
        long uid = Long.parseLong(status.get("Uid").split("\\s+")[0]);
        assertEquals(uid, self.userIds().uid());
        assertEquals(Capabilities.namesOfHex(status.get("CapEff")), self.security().effectiveCapabilities());
        assertEquals(Capabilities.namesOfHex(status.get("CapPrm")), self.security().permittedCapabilities());
        assertEquals(Optional.of(!status.get("NoNewPrivs").equals("0")), self.security().noNewPrivs());
        assertTrue(self.security().seccomp().isPresent());
        assertTrue(self.namespaces().keySet().containsAll(List.of("mnt", "pid", "net", "user")),
                self.namespaces().toString());
        assertEquals(inode("/proc/self/ns/mnt"), self.namespaces().get("mnt"));
        // This kernel's answer decides: a label when an LSM serves attr files, nothing when reads fail (EINVAL).
        boolean lsmAnswers = readsNonEmpty("/proc/self/attr/apparmor/current")
                || readsNonEmpty("/proc/self/attr/current");
        assertEquals(lsmAnswers, self.security().lsmLabel().isPresent(), self.security().toString());
    }

    private static boolean readsNonEmpty(String file) {
        try {
            return !new String(ProcessContextReader.readProcFile(Path.of(file)), StandardCharsets.UTF_8)
                    .replace("\0", "").isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void readsAChildWithItsOwnArgumentsDirectoryAndCredentials() throws Exception {
        if (!"true".equals(System.getenv("CI"))) { // CI runs as root with util-linux: there it must run
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
            assumeTrue(ProcessContext.self().orElseThrow().userIds().effectiveUid() == 0,
                    "changing uid and capabilities needs root");
        }
        Process child = start(tmp, "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
                "/bin/sh", "-c", "sleep 30; true", "sh", "an argument with spaces");
        ProcessContext c = awaitExec(child.pid(), "sh");

        assertEquals(child.pid(), c.pid());
        assertEquals(ProcessHandle.current().pid(), c.parentPid());
        assertEquals(List.of("/bin/sh", "-c", "sleep 30; true", "sh", "an argument with spaces"), c.args());
        assertEquals(Path.of("/bin/sh").toRealPath().toString(), c.executable().orElseThrow());
        assertEquals(tmp.toRealPath().toString(), c.workingDirectory().orElseThrow());
        assertEquals(new UserIds(65534, 65534, 65534, 65534), c.userIds());
        assertEquals(List.of(), c.security().effectiveCapabilities());
        assertEquals(List.of(), c.security().permittedCapabilities());
        assertEquals(Optional.of(true), c.security().noNewPrivs());
        assertEquals(ProcessContext.self().orElseThrow().namespaces(), c.namespaces());
        assertTrue(c.startTime() > 0);
    }

    @Test
    void aProcessThatHasExitedReadsAsEmpty() throws Exception {
        Process child = start(tmp, "/bin/sleep", "30");
        awaitExec(child.pid(), "sleep");
        child.destroyForcibly().waitFor();
        assertEquals(Optional.empty(), ProcessContext.read(child.pid()));
    }

    @Test
    void aPidThatNeverExistedReadsAsEmpty() throws IOException {
        long pidMax = Long.parseLong(new String(ProcessContextReader.readProcFile(
                Path.of("/proc/sys/kernel/pid_max")), StandardCharsets.US_ASCII).trim());
        assertEquals(Optional.empty(), ProcessContext.read(pidMax + 1));
        assertEquals(Optional.empty(), ProcessContext.read(-1));
    }

    /**
     * Kills the child after each single file of the read, in turn: whichever file the process vanishes at, the
     * outcome is empty (never a half-filled context, never an exception).
     */
    @Test
    void aProcessThatExitsAtAnyPointOfTheReadReadsAsEmpty() throws Exception {
        List<String> files = new ArrayList<>();
        Process probe = start(tmp, "/bin/sleep", "30");
        awaitExec(probe.pid(), "sleep");
        new ProcessContextReader(Path.of("/proc"), files::add).read(probe.pid()).orElseThrow();
        assertTrue(files.size() > 10, files.toString());

        for (int step = 0; step < files.size() - 1; step++) {
            Process child = start(tmp, "/bin/sleep", "30");
            awaitExec(child.pid(), "sleep");
            int killAt = step;
            int[] seen = {0};
            ProcessContextReader reader = new ProcessContextReader(Path.of("/proc"), file -> {
                if (seen[0]++ == killAt) {
                    killAndReap(child);
                }
            });
            assertEquals(Optional.empty(), reader.read(child.pid()), "killed after " + files.get(step));
        }
    }

    private static void killAndReap(Process child) {
        try {
            child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process start(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
        children.add(p);
        return p;
    }

    /** Waits until the child has exec'd {@code name} (before that, /proc shows the forked JVM helper). */
    private static ProcessContext awaitExec(long pid, String name) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            Optional<ProcessContext> c = ProcessContext.read(pid);
            if (c.isPresent() && c.get().name().equals(name)) {
                return c.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + pid + " did not exec " + name);
    }

    private static long inode(String nsLink) throws IOException {
        String link = Files.readSymbolicLink(Path.of(nsLink)).toString();
        return Long.parseLong(link.substring(link.indexOf('[') + 1, link.length() - 1));
    }

    @Test
    void readsARecordedContainerProcessWithSeccompNoNewPrivsAndAppArmor() throws IOException {
        Path proc = tmp.resolve("proc");
        Path dir = recordedProcess(proc, 7, "docker-default (enforce)");
        ProcessContext c = ProcessContext.read(proc, 7).orElseThrow();
        assertEquals("nginx", c.name());
        assertEquals(1, c.parentPid());
        assertEquals(List.of("nginx: master process nginx", "-g", "daemon off;"), c.args());
        assertEquals(new UserIds(0, 0, 0, 0), c.userIds());
        assertEquals(List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
                "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD",
                "CAP_AUDIT_WRITE", "CAP_SETFCAP"), c.security().effectiveCapabilities());
        assertEquals(Optional.of(true), c.security().noNewPrivs());
        assertEquals(Optional.of(SeccompMode.FILTER), c.security().seccomp());
        assertEquals(Optional.of("apparmor"), c.security().lsm());
        assertEquals(Optional.of("docker-default (enforce)"), c.security().lsmLabel());
        assertEquals(ContainerRuntime.DOCKER, c.container().orElseThrow().runtime());
        assertEquals(Optional.empty(), c.executable(), "no exe link recorded: unreadable facts stay empty");

        Files.delete(dir.resolve("attr/apparmor/current"));
        Files.writeString(dir.resolve("attr/current"), "system_u:system_r:container_t:s0:c123,c456\0");
        SecurityContext selinux = ProcessContext.read(proc, 7).orElseThrow().security();
        assertEquals(Optional.of("selinux"), selinux.lsm());
        assertEquals(Optional.of("system_u:system_r:container_t:s0:c123,c456"), selinux.lsmLabel());

        Files.writeString(dir.resolve("attr/current"), "unconfined\n");
        assertEquals(Optional.of("unconfined"), ProcessContext.read(proc, 7).orElseThrow().security().lsmLabel());

        Files.delete(dir.resolve("attr/current"));
        SecurityContext none = ProcessContext.read(proc, 7).orElseThrow().security();
        assertEquals(Optional.empty(), none.lsmLabel());
        assertEquals(Optional.empty(), none.lsm());
    }

    @Test
    void aPidReusedDuringTheReadReadsAsEmpty() throws IOException {
        Path proc = tmp.resolve("proc");
        Path dir = recordedProcess(proc, 7, "unconfined");
        ProcessContextReader reader = new ProcessContextReader(proc, file -> {
            if (file.equals("cmdline")) {
                rewrite(dir.resolve("stat"), "7 (bash) S 1 7 7 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 99999 0 0");
            }
        });
        assertEquals(Optional.empty(), reader.read(7));
    }

    @Test
    void garbageInProcReadsAsEmptyNotAsAnException() throws IOException {
        Path proc = tmp.resolve("proc");
        Path dir = recordedProcess(proc, 7, "unconfined");
        Files.writeString(dir.resolve("stat"), "garbage");
        assertEquals(Optional.empty(), ProcessContext.read(proc, 7));
        recordedProcess(proc, 8, "unconfined");
        Files.writeString(proc.resolve("8/status"), "Name:\tx\n");
        assertEquals(Optional.empty(), ProcessContext.read(proc, 8));
    }

    private static void rewrite(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Files as /proc showed them for nginx in a Docker container (Linux 6.1, AppArmor, default seccomp). */
    static Path recordedProcess(Path proc, long pid, String apparmorLabel) throws IOException {
        Path dir = proc.resolve(Long.toString(pid));
        Files.createDirectories(dir.resolve("attr/apparmor"));
        Files.writeString(dir.resolve("stat"), pid + " (nginx) S 1 " + pid + " " + pid
                + " 0 -1 4194560 1210 0 0 0 3 1 0 0 20 0 1 0 31337 11124736 1410 18446744073709551615");
        Files.writeString(dir.resolve("status"), String.join("\n",
                "Name:\tnginx", "Umask:\t0022", "State:\tS (sleeping)", "Tgid:\t" + pid, "Ngid:\t0",
                "Pid:\t" + pid, "PPid:\t1", "TracerPid:\t0", "Uid:\t0\t0\t0\t0", "Gid:\t0\t0\t0\t0",
                "FDSize:\t64", "Groups:\t0 1 2 3 4 6 10 11 20 26 27", "CapInh:\t0000000000000000",
                "CapPrm:\t00000000a80425fb", "CapEff:\t00000000a80425fb", "CapBnd:\t00000000a80425fb",
                "CapAmb:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2", "Seccomp_filters:\t1",
                "Speculation_Store_Bypass:\tthread force mitigated", ""));
        Files.write(dir.resolve("cmdline"), "nginx: master process nginx\0-g\0daemon off;\0"
                .getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("attr/apparmor/current"), apparmorLabel + "\n");
        Files.writeString(dir.resolve("attr/current"), apparmorLabel + "\n");
        Files.writeString(dir.resolve("cgroup"),
                "0::/system.slice/docker-4c7a9e0b1f2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7.scope\n");
        return dir;
    }

    @Test
    void capabilityNamesFollowTheKernelsBitNumbers() {
        assertEquals(List.of("CAP_CHOWN"), Capabilities.names(1));
        assertEquals(List.of("CAP_SYS_ADMIN"), Capabilities.names(1L << 21));
        assertEquals(List.of("CAP_CHECKPOINT_RESTORE", "CAP_41"), Capabilities.names(3L << 40));
        assertEquals(41, Capabilities.namesOfHex("000001ffffffffff").size());
        assertFalse(Capabilities.namesOfHex("0000000000000000").iterator().hasNext());
    }
}
