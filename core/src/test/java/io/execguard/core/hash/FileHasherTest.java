package io.execguard.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.HostFileTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHasherTest {
    @TempDir
    Path root;

    private FileTree tree() {
        return HostFileTree.of(root);
    }

    @Test
    void hashMatchesSha256sum() throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Files.write(root.resolve("bin"), content);
        String expected = sha256sum(root.resolve("bin"));
        assertEquals(Optional.of(expected), FileHasher.withDefaults().sha256(tree(), "/bin", "/"));
        assertEquals(Optional.of(expected), FileHasher.withDefaults().sha256(tree(), "bin", "/"));
    }

    @Test
    void filesOverTheLimitAreNotHashed() throws IOException {
        Files.write(root.resolve("ten"), new byte[10]);
        Files.write(root.resolve("eleven"), new byte[11]);
        FileHasher hasher = FileHasher.of(10, 16);
        assertEquals(64, hasher.sha256(tree(), "/ten", "/").orElseThrow().length());
        assertEquals(Optional.empty(), hasher.sha256(tree(), "/eleven", "/"));
        assertEquals(Optional.empty(), FileHasher.of(0, 16).sha256(tree(), "/ten", "/"), "0 disables hashing");
    }

    @Test
    void cachedByDeviceInodeSizeAndMtime() throws IOException {
        Path f = root.resolve("app");
        Files.writeString(f, "version-1");
        FileTime mtime = Files.getLastModifiedTime(f);
        FileHasher hasher = FileHasher.withDefaults();
        String first = hasher.sha256(tree(), "/app", "/").orElseThrow();

        // Same inode, size and mtime: the cache answers without reading (so it still says version 1).
        Files.writeString(f, "version-2");
        Files.setLastModifiedTime(f, mtime);
        assertEquals(first, hasher.sha256(tree(), "/app", "/").orElseThrow());

        // A new mtime is a new version.
        Files.setLastModifiedTime(f, FileTime.fromMillis(mtime.toMillis() + 5000));
        String second = hasher.sha256(tree(), "/app", "/").orElseThrow();
        assertNotEquals(first, second);
        assertEquals(FileHasher.withDefaults().sha256(tree(), "/app", "/").orElseThrow(), second);
    }

    @Test
    void theCacheIsBounded() throws IOException {
        FileHasher hasher = FileHasher.of(1 << 20, 2);
        for (int i = 0; i < 5; i++) {
            Files.writeString(root.resolve("f" + i), "content " + i);
            hasher.sha256(tree(), "/f" + i, "/").orElseThrow();
        }
        assertEquals(2, hasher.cachedEntries());
    }

    @Test
    void fifosDirectoriesAndMissingFilesAreNotHashedAndNeverHang() throws Exception {
        Path fifo = root.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Files.createDirectory(root.resolve("dir"));
        FileHasher hasher = FileHasher.withDefaults();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(Optional.empty(), hasher.sha256(tree(), "/fifo", "/"));
            assertEquals(Optional.empty(), hasher.sha256(tree(), "/dir", "/"));
            assertEquals(Optional.empty(), hasher.sha256(tree(), "/missing", "/"));
        });
    }

    @Test
    void symlinksCannotLeaveTheTree() throws IOException {
        Path outside = Files.createTempFile("execguard-outside", ".bin");
        try {
            Files.writeString(outside, "outside the container root");
            Files.createSymbolicLink(root.resolve("escape"), outside);
            Files.createSymbolicLink(root.resolve("dotdot"), Path.of("../../../../../../" + outside));
            FileHasher hasher = FileHasher.withDefaults();
            assertEquals(Optional.empty(), hasher.sha256(tree(), "/escape", "/"));
            assertEquals(Optional.empty(), hasher.sha256(tree(), "/dotdot", "/"));
        } finally {
            Files.delete(outside);
        }
    }

    private static String sha256sum(Path file) throws Exception {
        Process p = new ProcessBuilder("sha256sum", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());
        return out.substring(0, 64);
    }
}
