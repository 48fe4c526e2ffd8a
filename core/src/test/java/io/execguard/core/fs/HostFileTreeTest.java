package io.execguard.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.testing.Commands;
import io.execguard.core.testing.Privileges;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution inside a root: symlinks, {@code ..}, loops and non-directories, like openat2(RESOLVE_IN_ROOT). */
class HostFileTreeTest {
    @TempDir
    Path root;

    @Test
    void absoluteSymlinksRestartAtTheRoot() throws IOException {
        Files.createDirectories(root.resolve("opt/app"));
        Files.writeString(root.resolve("opt/app/tool"), "x");
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(root.resolve("usr/bin/tool"), Path.of("/opt/app/tool"));
        Lookup l = HostFileTree.of(root).lookup("/usr/bin/tool");
        assertEquals(Lookup.Status.FOUND, l.status());
        assertEquals("/opt/app/tool", l.resolvedPath());
    }

    @Test
    void neverEscapesTheRoot() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.createSymbolicLink(root.resolve("bin/passwd"), Path.of("../../../../../../etc/passwd"));
        Files.createSymbolicLink(root.resolve("bin/abs"), Path.of("/etc/passwd"));
        HostFileTree tree = HostFileTree.of(root);
        assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/bin/passwd").status());
        assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/bin/abs").status());
        assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/../../../etc/passwd").status());
        assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("../../etc/passwd", "/bin").status());
        assertTrue(HostFileTree.root().lookup("/etc/passwd").isFound(), "the host's own file is there");
    }

    @Test
    void dotDotClampsAtTheRoot() throws IOException {
        Files.writeString(root.resolve("file"), "x");
        Lookup l = HostFileTree.of(root).lookup("/../../../file");
        assertEquals("/file", l.resolvedPath());
        assertTrue(l.isFound());
    }

    @Test
    void fortySymlinksResolveAndFortyOneLoop() throws IOException {
        Files.writeString(root.resolve("target"), "x");
        String previous = "/target";
        for (int i = 1; i <= 41; i++) {
            Files.createSymbolicLink(root.resolve("l" + i), Path.of(previous));
            previous = "/l" + i;
        }
        HostFileTree tree = HostFileTree.of(root);
        assertEquals(Lookup.Status.FOUND, tree.lookup("/l40").status());
        assertEquals(Lookup.Status.LOOP, tree.lookup("/l41").status());
    }

    @Test
    void symlinkLoop() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertEquals(Lookup.Status.LOOP, HostFileTree.of(root).lookup("/a").status());
    }

    @Test
    void nonDirectoryComponents() throws IOException {
        Files.writeString(root.resolve("file"), "x");
        HostFileTree tree = HostFileTree.of(root);
        assertEquals(Lookup.Status.NOT_DIRECTORY, tree.lookup("/file/x").status());
        assertEquals(Lookup.Status.NOT_DIRECTORY, tree.lookup("/file/").status());
        assertEquals(Lookup.Status.NOT_DIRECTORY, tree.lookup("/file/..").status());
        assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("").status());
    }

    @Test
    void attributesComeFromLstat() throws IOException {
        Path f = Files.writeString(root.resolve("f"), "hello");
        Lookup l = HostFileTree.of(root).lookup("f", "/");
        FileAttributes a = l.attributes().orElseThrow();
        assertEquals(FileType.REGULAR, a.type());
        assertEquals(5, a.size());
        assertEquals(Files.getAttribute(f, "unix:ino"), a.inode());
    }

    @Test
    void openRefusesAFifoWithoutBlocking() throws IOException {
        Privileges.requireCommand("mkfifo");
        Commands.run("mkfifo", root.resolve("fifo").toString());
        HostFileTree tree = HostFileTree.of(root);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(IOException.class, () -> tree.open("/fifo", "/")));
    }

    @Test
    void openReadsRegularFiles() throws IOException {
        Files.writeString(root.resolve("f"), "hello");
        try (OpenedFile f = HostFileTree.of(root).open("/f", "/")) {
            ByteBuffer b = ByteBuffer.allocate(16);
            assertEquals(5, f.read(0, b));
            assertEquals(5, f.attributes().size());
        }
    }

    @Test
    void onlyTheHostRootIsLive() {
        assertTrue(HostFileTree.root().live());
        assertEquals("/proc/self/mountinfo", HostFileTree.root().mountInfoPath().orElseThrow());
        assertFalse(HostFileTree.of(root).live());
        assertTrue(HostFileTree.of(root).mountInfoPath().isEmpty());
    }
}
