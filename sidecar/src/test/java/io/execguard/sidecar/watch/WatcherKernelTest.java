package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.event.CallerKind;
import io.execguard.core.event.EventJsonWriter;
import io.execguard.core.event.ExecEvent;
import io.execguard.sidecar.audit.netlink.AuditClient;
import io.execguard.sidecar.testing.Command;
import io.execguard.core.testing.ElfBuilder;
import io.execguard.core.testing.Privileges;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * watch against the real kernel: one watcher with {@code --install-rules} (its own rule key), failed execs of
 * fixtures of each errno class by a shell, by python3, by this JVM and by a shell in its own pid and mount
 * namespaces with its own root; each must come back as exactly one event with the right cause, path, caller kind
 * and root, and the rules must be gone once the watcher is closed. Other audit users on the machine may add
 * records of their own: assertions only look at this test's fixture paths.
 */
class WatcherKernelTest {
    private static final String KEY = "execguard-watch-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final ConcurrentLinkedQueue<ExecEvent> EVENTS = new ConcurrentLinkedQueue<>();
    private static final List<String> LOG = new ArrayList<>();
    private static final WatchMetrics METRICS = new WatchMetrics();

    @TempDir
    static Path dir;

    private static Watcher watcher;

    @BeforeAll
    static void startWatcher() throws Exception {
        Privileges.requireRoot();
        Privileges.requireCommand("auditctl");
        Watcher.Settings d = Watcher.Settings.defaults();
        watcher = new Watcher(new Watcher.Settings(Optional.empty(), false, true, KEY, Scope.NODE, Duration.ZERO,
                Duration.ofSeconds(5), true, dir, RootTrees.safe()), EVENTS::add,
                METRICS, m -> {
                    synchronized (LOG) {
                        LOG.add(m);
                    }
                });
        watcher.start();
        assertTrue(watcher.awaitReady(Duration.ofSeconds(10)), () -> "not ready: " + watcher.notReadyReason());
    }

    @AfterAll
    static void stopWatcher() throws Exception {
        if (watcher == null) {
            return;
        }
        watcher.close();
        try (AuditClient client = AuditClient.open()) {
            assertTrue(client.listRules().stream().noneMatch(r -> r.hasKey(KEY)), "rules left behind: " + KEY);
        }
        assertTrue(watcher.installedRules().isEmpty());
    }

    @Test
    void shellFailuresOfEachErrnoClass() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("shell"));
        Path noShebang = write(sub.resolve("no-shebang"), ": text without an interpreter line\n", true);
        Path arm64 = writeBytes(sub.resolve("arm64-program"), foreignElf(), true);
        Path crlf = write(sub.resolve("crlf.sh"), "#!/bin/sh\r\necho hi\r\n", true);
        Path noX = write(sub.resolve("not-executable.sh"), "#!/bin/sh\necho hi\n", false);
        Path loop = shebangChain(Files.createDirectories(sub.resolve("chain")));
        Path missing = sub.resolve("does-not-exist");
        String script = String.join("; ", "'" + noShebang + "'", "'" + arm64 + "'", "'" + crlf + "'", "'" + noX + "'",
                "'" + loop + "'", "'" + missing + "'", "sleep 1");
        Command.run(List.of("/bin/sh", "-c", script));

        assertEvent(noShebang.toString(), Cause.SHEBANG_MISSING, "ENOEXEC", CallerKind.SHELL);
        assertEvent(arm64.toString(), Cause.ARCH_MISMATCH, "ENOEXEC", CallerKind.SHELL);
        assertEvent(crlf.toString(), Cause.SHEBANG_CRLF, "ENOENT", CallerKind.SHELL);
        assertEvent(noX.toString(), Cause.NO_EXECUTE_PERMISSION, "EACCES", CallerKind.SHELL);
        assertEvent(loop.toString(), Cause.SHEBANG_LOOP, "ELOOP", CallerKind.SHELL);
        Thread.sleep(300);
        assertTrue(eventsFor(missing.toString()).isEmpty(), "ENOENT of a missing file is not news");
    }

    @Test
    void pythonCallerIsOtherAndStillAlive() throws Exception {
        Privileges.requireCommand("python3");
        Path f = write(Files.createDirectories(dir.resolve("py")).resolve("no-shebang"), "echo hi\n", true);
        Command.run(List.of("python3", "-c", "import os, sys, time\ntry:\n    os.execv(sys.argv[1], [sys.argv[1]])\n"
                + "except OSError:\n    time.sleep(3)\n", f.toString(), "--password=hunter2"));
        ExecEvent e = assertEvent(f.toString(), Cause.SHEBANG_MISSING, "ENOEXEC", CallerKind.OTHER);
        assertTrue(e.process().orElseThrow().args().contains("-c"),
                () -> "arguments of the caller: " + e.process().orElseThrow().args());
        String json = EventJsonWriter.standard().toJson(e);
        assertFalse(json.contains("hunter2"), json);
    }

    @Test
    void jvmCallerFallsBackToShell() throws Exception {
        Path f = write(Files.createDirectories(dir.resolve("jvm")).resolve("no-shebang"), ": from a JVM\n", true);
        Process p = new ProcessBuilder(f.toString()).start();
        assertEquals(0, p.waitFor(), "glibc JVM re-runs the file through /bin/sh");
        assertEvent(f.toString(), Cause.SHEBANG_MISSING, "ENOEXEC", CallerKind.JVM);
    }

    @Test
    void processInItsOwnPidAndMountNamespaceAndRoot() throws Exception {
        Privileges.requireCommand("unshare");
        Privileges.requireCommand("chroot");
        Path root = Files.createDirectories(dir.resolve("container-root"));
        for (String d : List.of("usr", "proc", "app")) {
            Files.createDirectories(root.resolve(d));
        }
        for (String link : List.of("bin", "lib", "lib64", "sbin")) {
            if (Files.exists(Path.of("/" + link))) {
                Files.createSymbolicLink(root.resolve(link), Path.of("usr/" + link));
            }
        }
        write(root.resolve("app/entrypoint"), ": no interpreter line in the container either\n", true);
        String inner = "mount --make-rprivate / && mount --bind /usr '" + root + "/usr' && exec chroot '" + root
                + "' /bin/sh -c '/app/entrypoint; sleep 1'";
        Command.Result r = Command.run(List.of("unshare", "--pid", "--fork", "--mount", "/bin/sh", "-c", inner));
        assertEquals(0, r.exitCode(), r.stderr());
        ExecEvent e = assertEvent("/app/entrypoint", Cause.SHEBANG_MISSING, "ENOEXEC", CallerKind.SHELL);
        String details = e.details().orElseThrow().toString();
        assertTrue(details.matches("(?s).*root=/proc/\\d+/root.*"), "diagnosed inside the caller's root: " + details);
        assertTrue(e.diagnosis().orElseThrow().resolvedPath().orElse("").equals("/app/entrypoint"),
                () -> "resolved inside the root: " + e.diagnosis());
    }

    /**
     * ETXTBSY: this JVM holds the program open for writing while a shell execs it. The kernel refuses it before
     * looking at its format; nothing in the file shows that afterwards, so the file check alone would call it OK.
     */
    @Test
    void programOpenForWritingIsFileBusy() throws Exception {
        Path program = writeBytes(Files.createDirectories(dir.resolve("busy")).resolve("program"),
                ElfBuilder.x86_64().build(), true);
        Command.Result r;
        try (FileChannel writer = FileChannel.open(program, StandardOpenOption.WRITE)) {
            r = Command.run(List.of("/bin/sh", "-c", "'" + program + "'; sleep 1"));
        }
        assertTrue(r.stderr().contains("Text file busy"), () -> "the shell saw ETXTBSY: " + r.stderr());
        ExecEvent e = assertEvent(program.toString(), Cause.FILE_BUSY, "ETXTBSY", CallerKind.SHELL);
        assertEquals("sh", e.process().orElseThrow().name().orElse(""), () -> "the caller: " + e.process());
        assertTrue(e.diagnosis().get().summary().contains("open for writing"), e.diagnosis().get().summary());
        assertEquals("OK", e.diagnosis().get().evidence().group("file_check").orElseThrow().string("cause")
                .orElseThrow(), "the file itself would run");
        assertEquals(1, failures("FILE_BUSY", "ETXTBSY"), "counted once, under its own cause");
    }

    /**
     * ELIBBAD, as this kernel gives it (verified with a direct execve): an ELF program whose PT_INTERP names a file
     * that is not an ELF loader - a text file, or an ELF for another machine.
     */
    @Test
    void loaderThatIsNoLoaderIsElibbad() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("elibbad"));
        Path textLoader = write(sub.resolve("ld-text"), "this is not a loader\n".repeat(10), true);
        Path armLoader = writeBytes(sub.resolve("ld-arm64"), ElfBuilder.foreign(183, true, false)
                .type(ElfBuilder.ET_DYN).build(), true);
        Path withText = writeBytes(sub.resolve("with-text-loader"),
                ElfBuilder.x86_64().interpreter(textLoader.toString()).build(), true);
        Path withArm = writeBytes(sub.resolve("with-arm64-loader"),
                ElfBuilder.x86_64().interpreter(armLoader.toString()).build(), true);
        Command.Result r = Command.run(List.of("/bin/sh", "-c", "'" + withText + "'; '" + withArm + "'; sleep 1"));
        assertTrue(r.stderr().contains("Accessing a corrupted shared library"), () -> "ELIBBAD: " + r.stderr());
        for (Path p : List.of(withText, withArm)) {
            ExecEvent e = assertEvent(p.toString(), Cause.ELF_INTERPRETER_INVALID, "ELIBBAD", CallerKind.SHELL);
            assertEquals(Optional.of(io.execguard.core.diagnose.Errno.ELIBBAD), e.diagnosis().get().errno(),
                    "the engine predicts what the kernel said");
        }
        assertEquals(2, failures("ELF_INTERPRETER_INVALID", "ELIBBAD"));
    }

    /**
     * The permission check is replayed with the caller's credentials, not watch's (root): a script with only the
     * owner's execute bit, tried by uid 65534, is NO_EXECUTE_PERMISSION - not "a valid executable".
     */
    @Test
    void callerOfAnotherUidIsJudgedWithItsOwnCredentials() throws Exception {
        Privileges.requireCommand("setpriv");
        Path sub = Files.createDirectories(dir.resolve("uid"));
        for (Path d : List.of(dir, sub)) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path script = write(sub.resolve("owner-only.sh"), "#!/bin/sh\necho hi\n", false);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr--r--"));
        Command.Result r = Command.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/bin/sh", "-c", "'" + script + "'; sleep 1"));
        assertTrue(r.stderr().contains("Permission denied"), r.stderr());
        ExecEvent e = assertEvent(script.toString(), Cause.NO_EXECUTE_PERMISSION, "EACCES", CallerKind.SHELL);
        assertEquals(65534, e.user().orElseThrow().uid());
    }

    private static long failures(String cause, String errno) {
        return METRICS.registry().scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("execguard_exec_failures"))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(d -> cause.equals(d.getLabels().get("cause")) && errno.equals(d.getLabels().get("errno")))
                .mapToLong(d -> (long) d.getValue()).sum();
    }

    private static ExecEvent assertEvent(String path, Cause cause, String errno, CallerKind kind)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<ExecEvent> found = eventsFor(path);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            found = eventsFor(path);
        }
        Thread.sleep(200); // a duplicate would arrive right behind
        found = eventsFor(path);
        assertEquals(1, found.size(), () -> "events for " + path + ": " + eventsFor(path) + "; log: " + LOG);
        ExecEvent e = found.get(0);
        assertEquals(errno, e.error().orElseThrow().code());
        assertEquals(Optional.of(kind), e.callerKind(), () -> "caller of " + path + ": " + e);
        assertTrue(e.diagnosis().isPresent(), () -> "diagnosed: " + e + " " + e.details());
        assertEquals(cause, e.diagnosis().get().cause(), () -> "cause of " + path + ": " + e.diagnosis() + " "
                + e.details());
        assertTrue(e.file().orElseThrow().sha256().isPresent(), () -> "file.hash.sha256 read in the root: " + e);
        if (java.nio.file.Files.isRegularFile(Path.of(path))) {
            assertEquals(sha256(Path.of(path)), e.file().get().sha256().get(), "hash of " + path);
        }
        return e;
    }

    private static List<ExecEvent> eventsFor(String path) {
        return EVENTS.stream().filter(e -> e.file().map(f -> f.path().equals(path)).orElse(false))
                .collect(Collectors.toList());
    }

    private static Path write(Path p, String text, boolean executable) throws IOException {
        return writeBytes(p, text.getBytes(StandardCharsets.UTF_8), executable);
    }

    private static Path writeBytes(Path p, byte[] bytes, boolean executable) throws IOException {
        Files.write(p, bytes);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        return p;
    }

    /** Six scripts, each naming the next as its interpreter: one level more than the kernel follows. */
    private static Path shebangChain(Path chain) throws IOException {
        for (int i = 0; i < 6; i++) {
            write(chain.resolve("s" + i), "#!" + chain.resolve("s" + (i + 1)) + "\n", true);
        }
        write(chain.resolve("s6"), "#!/bin/sh\necho end\n", true);
        return chain.resolve("s0");
    }

    /** A 64-bit little-endian ELF executable header for AArch64 with one PT_LOAD program header. */
    private static byte[] foreignElf() {
        ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) 183).putInt(1).putLong(0x400078).putLong(64).putLong(0).putInt(0)
                .putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5).putLong(0).putLong(0x400000).putLong(0x400000).putLong(120).putLong(120)
                .putLong(0x1000);
        return b.array();
    }

    private static String sha256(Path file) throws IOException {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    java.nio.file.Files.readAllBytes(file));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
