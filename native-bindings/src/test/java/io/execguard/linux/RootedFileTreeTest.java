package io.execguard.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import io.execguard.core.testing.Privileges;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A directory treated as a root, through both resolution strategies: symlinks and {@code ..} resolve inside it,
 * whatever they point at, and non-regular files are refused without blocking.
 */
class RootedFileTreeTest {
    @TempDir
    Path root;

    @BeforeEach
    void buildTree() throws IOException {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("usr/bin/tool"), "#!/bin/sh\necho tool\n");
        Files.writeString(root.resolve("etc/hostname"), "inside-the-root\n");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(root.resolve("absolute-escape"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("usr/bin/dots-escape"), Path.of("../../../../../../etc/hostname"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
        Files.createSymbolicLink(root.resolve("gone"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void regularFileIsFoundAndReadWithItsOwnAttributes(RootedFileTree.Resolution resolution) throws Exception {
        try (RootedFileTree tree = RootedFileTree.of(root.toString(), resolution)) {
            assertEquals(resolution, tree.resolution());
            Lookup lookup = tree.lookup("/bin/tool");
            assertEquals(Lookup.Status.FOUND, lookup.status(), lookup.toString());
            assertEquals("/usr/bin/tool", lookup.resolvedPath());
            long inode = (Long) Files.getAttribute(root.resolve("usr/bin/tool"), "unix:ino");
            assertEquals(inode, lookup.attributes().orElseThrow().inode());
            assertEquals(FileType.REGULAR, lookup.attributes().orElseThrow().type());
            assertEquals("#!/bin/sh\necho tool\n", read(tree, "tool", "/usr/bin"));
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void symlinksOutOfTheRootLandInsideIt(RootedFileTree.Resolution resolution) throws Exception {
        try (RootedFileTree tree = RootedFileTree.of(root.toString(), resolution)) {
            assertEquals("inside-the-root\n", read(tree, "/absolute-escape", "/"));
            assertEquals("inside-the-root\n", read(tree, "/usr/bin/dots-escape", "/"));
            assertEquals("inside-the-root\n", read(tree, "../up/up/etc/hostname", "/usr"));
            assertEquals("inside-the-root\n", read(tree, "../../../../etc/hostname", "/usr/bin"));
            assertEquals("/etc/hostname", tree.lookup("/absolute-escape").resolvedPath());
            assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/gone").status(), "the host's /etc/passwd exists");
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void failuresAreReportedAsStatuses(RootedFileTree.Resolution resolution) throws Exception {
        try (RootedFileTree tree = RootedFileTree.of(root.toString(), resolution)) {
            assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/usr/bin/missing").status());
            assertEquals(Lookup.Status.NOT_DIRECTORY, tree.lookup("/usr/bin/tool/x").status());
            assertEquals(Lookup.Status.LOOP, tree.lookup("/loop-a").status());
            assertEquals(Lookup.Status.ERROR, tree.lookup("").status());
            assertEquals(FileType.DIRECTORY, tree.lookup("/bin").attributes().orElseThrow().type());
            assertThrows(IOException.class, () -> tree.open("/usr/bin", "/"));
            assertThrows(IOException.class, () -> tree.open("/usr/bin/missing", "/"));
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void fifoIsRefusedWithoutBlocking(RootedFileTree.Resolution resolution) throws Exception {
        Path fifo = root.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Privileges.require(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo");
        try (RootedFileTree tree = RootedFileTree.of(root.toString(), resolution)) {
            assertEquals(FileType.FIFO, tree.lookup("/fifo").attributes().orElseThrow().type());
            IOException e = assertThrows(IOException.class, () -> tree.open("/fifo", "/"));
            assertTrue(e.getMessage().contains("not a regular file but a fifo"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void bothStrategiesAgree(RootedFileTree.Resolution resolution) throws Exception {
        try (RootedFileTree tree = RootedFileTree.of(root.toString(), resolution);
             RootedFileTree other = RootedFileTree.of(root.toString(), RootedFileTree.Resolution.COMPONENT_WALK)) {
            for (String path : List.of("/bin/tool", "/absolute-escape", "/up/bin/../etc/hostname", "/gone",
                    "/loop-b", "/usr/bin/tool/x", "/")) {
                Lookup a = tree.lookup(path);
                Lookup b = other.lookup(path);
                assertEquals(b.status(), a.status(), path);
                assertEquals(b.attributes().map(x -> x.inode()), a.attributes().map(x -> x.inode()), path);
                if (a.isFound()) {
                    assertEquals(b.resolvedPath(), a.resolvedPath(), path);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void mountInfoIsThatOfTheProcessWhoseRootItIs(RootedFileTree.Resolution resolution) throws Exception {
        String self = Path.of("/proc/self").toRealPath().getFileName().toString();
        try (RootedFileTree proc = RootedFileTree.of("/proc/" + self + "/root", resolution);
             RootedFileTree dir = RootedFileTree.of(root.toString(), resolution)) {
            assertEquals(Optional.of("/proc/" + self + "/mountinfo"), proc.mountInfoPath());
            assertEquals(Optional.empty(), dir.mountInfoPath());
            assertTrue(proc.live());
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void closingWhileOthersLookUpIsSafeAndAfterwardsNothingResolves(RootedFileTree.Resolution resolution)
            throws Exception {
        RootedFileTree tree = RootedFileTree.of(root.toString(), resolution);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<?> busy = pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    Lookup l = tree.lookup("/bin/tool");
                    // Before close: found. After: refused. Never anything else (such as another directory's file).
                    assertTrue(l.isFound() ? l.resolvedPath().equals("/usr/bin/tool")
                            : l.status() == Lookup.Status.ERROR, l.toString());
                }
                return null;
            });
            Thread.sleep(5);
            tree.close();
            busy.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Lookup.Status.ERROR, tree.lookup("/bin/tool").status());
        assertThrows(IOException.class, () -> tree.open("/usr/bin/tool", "/"));
        tree.close();
    }

    /**
     * Callers tell a root that is gone from one they may not open by the errno: a zombie (exited, not yet reaped)
     * still has its /proc entry but no root any more - ENOENT, as for a missing directory.
     */
    @org.junit.jupiter.api.Test
    void aRootThatCannotBeOpenedSaysWhyByErrno() throws Exception {
        ErrnoException missing = assertThrows(ErrnoException.class, () -> RootedFileTree.of(root + "/no/such/dir"));
        assertEquals(LinuxErrno.ENOENT, missing.errno());
        Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0 & echo $!; exec sleep 5").start();
        try {
            String pid = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine().trim();
            Path stat = Path.of("/proc", pid, "stat");
            for (int i = 0; i < 200 && !Files.readString(stat).contains(") Z "); i++) {
                Thread.sleep(10);
            }
            assertTrue(Files.readString(stat).contains(") Z "), "sleep 0 is a zombie");
            ErrnoException zombie = assertThrows(ErrnoException.class, () -> RootedFileTree.of("/proc/" + pid
                    + "/root"));
            assertEquals(LinuxErrno.ENOENT, zombie.errno(), zombie.getMessage());
        } finally {
            parent.destroyForcibly();
        }
    }

    @org.junit.jupiter.api.Test
    void theKernelHereHasOpenat2() throws Exception {
        try (RootedFileTree tree = RootedFileTree.of(root.toString())) {
            assertEquals(RootedFileTree.Resolution.OPENAT2, tree.resolution(), "Linux >= 5.6 expected on CI");
        }
    }

    static String read(RootedFileTree tree, String path, String cwd) throws IOException {
        try (OpenedFile file = tree.open(path, cwd)) {
            ByteBuffer buf = ByteBuffer.allocate((int) file.attributes().size() + 16);
            long position = 0;
            int n;
            while ((n = file.read(position, buf)) > 0) {
                position += n;
            }
            assertEquals(-1, file.read(position, buf.hasRemaining() ? buf : ByteBuffer.allocate(1)));
            assertNotEquals(0, position);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }
}
