package io.execguard.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.diagnose.Errno;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.HostFileTree;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import io.execguard.core.inspect.BoundedReader;
import io.execguard.core.testing.Privileges;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile files through the whole engine, once with the plain {@link HostFileTree} and once with each strategy of
 * the safe opener {@link RootedFileTree}: FIFOs, device nodes, symlink loops and escapes, a file rewritten while
 * it is read, a sparse file of 64 GiB, and the root of a process that dies while it is read. Each has a defined
 * outcome (a diagnosis, never an exception or a hang) within a bounded time and a bounded number of bytes read;
 * see docs/reliability.md. Every case runs under {@link #BOUND}: a hang fails the test instead of the build.
 */
class HostileFilesTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final long GIB = 1L << 30;
    private static final DiagnosisEngine ENGINE = DiagnosisEngine.forHost();

    @TempDir
    Path root;
    private final List<FileTree> opened = new ArrayList<>();

    @AfterEach
    void closeTrees() throws Exception {
        for (FileTree t : opened) {
            if (t instanceof AutoCloseable) {
                ((AutoCloseable) t).close();
            }
        }
    }

    private CountingTree counting(FileTree tree) {
        opened.add(tree);
        return new CountingTree(tree);
    }

    /** Which tree a case runs through: a name for the report and how to open it on a directory. */
    interface TreeKind {
        FileTree open(Path directory) throws IOException;
    }

    static Stream<Arguments> trees() {
        return Stream.of(Arguments.of("HostFileTree", (TreeKind) HostFileTree::of),
                Arguments.of("RootedFileTree/openat2",
                        (TreeKind) d -> RootedFileTree.of(d.toString(), RootedFileTree.Resolution.OPENAT2)),
                Arguments.of("RootedFileTree/component-walk",
                        (TreeKind) d -> RootedFileTree.of(d.toString(), RootedFileTree.Resolution.COMPONENT_WALK)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void fifosNeverBlock(String name, TreeKind kind) throws Exception {
        mkfifo(root.resolve("fifo"));
        Files.writeString(root.resolve("script"), "#!/fifo\necho hi\n");
        Files.writeString(root.resolve("script-rel"), "#!fifo\n");
        setExecutable("fifo", "script", "script-rel");
        CountingTree tree = counting(kind.open(root));
        assertTimeoutPreemptively(BOUND, () -> {
            assertEquals(Cause.NOT_REGULAR_FILE, diagnose(tree, "/fifo").cause());
            Diagnosis viaShebang = diagnose(tree, "/script");
            assertFalse(viaShebang.runnable(), viaShebang.toString());
            assertTrue(viaShebang.cause().name().startsWith("SHEBANG_INTERPRETER"), viaShebang.cause().name());
            assertFalse(diagnose(tree, "/script-rel").runnable());
        });
        tree.assertBounded();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void symlinkLoopsAndEscapesStayInside(String name, TreeKind kind) throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
        Files.createSymbolicLink(root.resolve("zero"), Path.of("/dev/zero"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("../../../../../../../usr/bin/true"));
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/script"), "#!/../../../../../bin/sh\necho hi\n");
        setExecutable("bin/script");
        CountingTree tree = counting(kind.open(root));
        assertTimeoutPreemptively(BOUND, () -> {
            assertEquals(Optional.of(Errno.ELOOP), diagnose(tree, "/a").errno(), "a loop is ELOOP");
            assertEquals(Optional.of(Errno.ELOOP), diagnose(tree, "/self").errno());
            assertEquals(Cause.NOT_FOUND, diagnose(tree, "/zero").cause(), "/dev/zero is the root's, not the host's");
            assertEquals(Cause.NOT_FOUND, diagnose(tree, "/escape").cause(), "the host's /usr/bin/true is outside");
            Diagnosis script = diagnose(tree, "/bin/script");
            assertEquals(Cause.SHEBANG_INTERPRETER_MISSING, script.cause(), "the host's /bin/sh is outside");
        });
        tree.assertBounded();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void deviceNodesAreRefusedUnread(String name, TreeKind kind) throws Exception {
        CountingTree tree = counting(kind.open(Path.of("/")));
        assertTimeoutPreemptively(BOUND, () -> {
            for (String device : new String[] {"/dev/zero", "/dev/null", "/dev/urandom", "/dev/tty"}) {
                if (Files.exists(Path.of(device))) {
                    assertEquals(Cause.NOT_REGULAR_FILE, diagnose(tree, device).cause(), device);
                }
            }
        });
        assertEquals(0, tree.bytesRead.get(), "nothing is read from a device");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void sparseFilesOfManyGibibytesAreReadOnlyAtTheirHead(String name, TreeKind kind) throws Exception {
        byte[] elf = Files.readAllBytes(Path.of("/usr/bin/true"));
        Path big = root.resolve("big-true");
        Files.write(big, elf);
        Path lying = root.resolve("lying-elf");
        // Section and program header tables claimed 63 GiB into the file: an inspector that follows them reads
        // gigabytes of zeros.
        ByteBuffer header = ByteBuffer.wrap(elf.clone()).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(0x20, 63 * GIB).putLong(0x28, 63 * GIB + 4096);
        Files.write(lying, header.array());
        Path zeros = root.resolve("zeros");
        Files.createFile(zeros);
        for (Path p : new Path[] {big, lying, zeros}) {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(64 * GIB);
            }
        }
        setExecutable("big-true", "lying-elf", "zeros");
        CountingTree tree = counting(kind.open(root));
        assertTimeoutPreemptively(BOUND, () -> {
            Diagnosis ok = diagnose(tree, "/big-true");
            assertTrue(ok.runnable() || ok.cause() == Cause.ELF_INTERPRETER_MISSING, ok.toString());
            Diagnosis lied = diagnose(tree, "/lying-elf");
            assertFalse(lied.runnable(), lied.toString());
            assertNotNull(diagnose(tree, "/zeros").cause());
        });
        tree.assertBounded();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void aFileRewrittenWhileReadAlwaysGetsADiagnosis(String name, TreeKind kind) throws Exception {
        byte[] elf = Files.readAllBytes(Path.of("/usr/bin/true"));
        byte[][] states = {elf, new byte[0], "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.US_ASCII),
            java.util.Arrays.copyOf(elf, 40), "\u00ef\u00bb\u00bf#!/bin/sh\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "<html><body>404</body></html>".getBytes(StandardCharsets.US_ASCII)};
        Path file = root.resolve("moving");
        Files.write(file, elf);
        setExecutable("moving");
        CountingTree tree = counting(kind.open(root));
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    byte[] next = states[i++ % states.length];
                    f.setLength(0); // truncate, then rewrite in place: readers see every torn state
                    f.write(next);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }, "rewriter");
        Map<Cause, Integer> seen = new EnumMap<>(Cause.class);
        writer.start();
        try {
            assertTimeoutPreemptively(BOUND, () -> {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                while (System.nanoTime() < until) {
                    Diagnosis d = diagnose(tree, "/moving");
                    assertFalse(d.summary().isEmpty());
                    seen.merge(d.cause(), 1, Integer::sum);
                }
            });
        } finally {
            stop.set(true);
            writer.join();
        }
        assertFalse(seen.isEmpty());
        System.out.println(name + ": causes seen while the file was rewritten: " + seen);
        tree.assertBounded();
    }

    /**
     * The root of a process that dies: a tree opened on {@code /proc/PID/root} keeps the root directory it
     * opened (the kernel holds it through the descriptor), so diagnoses in flight finish; opening the tree after
     * the process is gone fails with an IOException naming the path. Either way nothing hangs and nothing
     * throws from the engine.
     */
    @Test
    void theProcessBeingDiagnosedVanishesMidRead() throws Exception {
        Process victim = new ProcessBuilder("sleep", "60").start();
        String procRoot = "/proc/" + victim.pid() + "/root";
        try {
            Privileges.require(Files.isReadable(Path.of(procRoot, "usr/bin/true")),
                    "needs to read " + procRoot + " (root, or ptrace access to the child)");
            CountingTree tree = counting(RootedFileTree.of(procRoot));
            AtomicLong diagnoses = new AtomicLong();
            Thread killer = new Thread(() -> {
                sleepQuietly(200);
                victim.destroyForcibly();
            });
            killer.start();
            assertTimeoutPreemptively(BOUND, () -> {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
                while (System.nanoTime() < until) {
                    assertNotNull(diagnose(tree, "/usr/bin/true").cause());
                    diagnoses.incrementAndGet();
                }
            });
            killer.join();
            assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
            assertNotNull(diagnose(tree, "/usr/bin/true").cause(), "a diagnosis through a dead process's root");
            IOException gone = assertThrows(IOException.class, () -> RootedFileTree.of(procRoot));
            assertTrue(gone.getMessage().contains(procRoot), gone.getMessage());
            tree.assertBounded();
            assertTrue(diagnoses.get() > 0);
        } finally {
            victim.destroyForcibly();
        }
    }

    private static Diagnosis diagnose(FileTree tree, String path) {
        return ENGINE.diagnose(DiagnosisRequest.builder(path).tree(tree).build());
    }

    private void setExecutable(String... names) throws IOException {
        for (String n : names) {
            Path p = root.resolve(n);
            if (!Files.isSymbolicLink(p)) {
                p.toFile().setExecutable(true, false);
            }
        }
    }

    private static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).start();
        Privileges.require(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "needs mkfifo");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts what the engine reads through a tree: files opened and bytes, per open and in total. */
    static final class CountingTree implements FileTree {
        private final FileTree delegate;
        final AtomicLong opens = new AtomicLong();
        final AtomicLong bytesRead = new AtomicLong();
        final AtomicLong mostFromOneOpen = new AtomicLong();

        CountingTree(FileTree delegate) {
            this.delegate = delegate;
        }

        void assertBounded() {
            assertTrue(mostFromOneOpen.get() <= BoundedReader.MAX_BYTES,
                    "read " + mostFromOneOpen.get() + " bytes from one open file");
        }

        @Override
        public Lookup lookup(String path, String cwd) {
            return delegate.lookup(path, cwd);
        }

        @Override
        public OpenedFile open(String path, String cwd) throws IOException {
            return counted(delegate.open(path, cwd));
        }

        @Override
        public OpenedFile open(Lookup found) throws IOException {
            return counted(delegate.open(found));
        }

        @Override
        public Optional<String> mountInfoPath() {
            return delegate.mountInfoPath();
        }

        @Override
        public boolean live() {
            return delegate.live();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        private OpenedFile counted(OpenedFile file) {
            opens.incrementAndGet();
            AtomicLong mine = new AtomicLong();
            return new OpenedFile() {
                @Override
                public FileAttributes attributes() {
                    return file.attributes();
                }

                @Override
                public int read(long position, ByteBuffer dst) throws IOException {
                    int n = file.read(position, dst);
                    if (n > 0) {
                        bytesRead.addAndGet(n);
                        mostFromOneOpen.accumulateAndGet(mine.addAndGet(n), Math::max);
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }
    }
}
