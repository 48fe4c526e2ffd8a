package io.execguard.sidecar.scan.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import io.execguard.core.platform.Platform;
import io.execguard.sidecar.scan.image.TestLayer.Compression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchiveTest {
    private static final CapturePolicy POLICY = CapturePolicy.withEntrypointNames(Set.of("entrypoint.sh"));

    @TempDir
    Path tmp;

    private static TestImages.Spec twoLayers(Compression base, Compression top) {
        byte[] lower = TestLayer.create().dir("/bin").file("/bin/tool", 0755, "#!/bin/sh\necho lower\n")
                .file("/etc/a", 0644, "a").file("/etc/b", 0644, "b").bytes(base);
        byte[] upper = TestLayer.create().file("/bin/tool", 0700, "#!/bin/sh\necho upper\n").whiteout("/etc/a")
                .bytes(top);
        return new TestImages.Spec("linux/arm64", List.of("/bin/tool"), List.of("--flag"))
                .env("PATH=/bin").workingDir("/srv").layer(lower).layer(upper);
    }

    @Test
    void legacyDockerSaveWithGzipAndPlainLayers() throws IOException {
        Path file = TestImages.dockerSaveLegacy(tmp.resolve("img.tar"), "example:1", twoLayers(Compression.GZIP,
                Compression.NONE));
        try (ImageArchive archive = ImageArchive.open(file)) {
            assertEquals("docker save archive", archive.format());
            ImageManifest m = archive.manifests().get(0);
            assertEquals("example:1", m.name());
            assertEquals(Platform.parse("linux/arm64"), m.platform().get());
            assertEquals(List.of("/bin/tool", "--flag"), m.config().command());
            assertEquals("/bin", m.config().searchPath());
            assertEquals("/srv", m.config().workingDir());
            assertMerged(archive.tree(m, POLICY, n -> { }));
        }
    }

    @Test
    void ociBasedDockerSaveWithZstdLayer() throws IOException {
        Path file = TestImages.dockerSaveOci(tmp.resolve("img.tar"), "example:2", twoLayers(Compression.ZSTD,
                Compression.GZIP));
        try (ImageArchive archive = ImageArchive.open(file)) {
            assertEquals("OCI archive", archive.format());
            ImageManifest m = archive.manifests().get(0);
            assertEquals("docker.io/library/example:2", m.name());
            assertMerged(archive.tree(m, POLICY, n -> { }));
        }
    }

    @Test
    void ociLayoutDirectory() throws IOException {
        Path dir = TestImages.ociLayout(Files.createDirectory(tmp.resolve("layout")), "v1",
                twoLayers(Compression.NONE, Compression.ZSTD));
        assertTrue(ImageArchive.isLayoutDirectory(dir));
        try (ImageArchive archive = ImageArchive.open(dir)) {
            assertEquals("OCI layout", archive.format());
            assertEquals("v1", archive.manifests().get(0).name());
            assertMerged(archive.tree(archive.manifests().get(0), POLICY, n -> { }));
        }
    }

    private static void assertMerged(ImageFileTree tree) throws IOException {
        Lookup tool = tree.lookup("/bin/tool");
        assertTrue(tool.isFound());
        assertEquals(0700, tool.attributes().get().mode(), "the upper layer's file replaces the lower one");
        assertEquals("#!/bin/sh\necho upper\n", read(tree, "/bin/tool", 100));
        assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/etc/a").status(), "whited out");
        assertTrue(tree.lookup("/etc/b").isFound());
    }

    @Test
    void multiPlatformIndexYieldsOneManifestPerPlatformAndSkipsAttestations() throws IOException {
        byte[] amd = TestLayer.create().file("/app", 0755, TestElf.elf64(TestElf.EM_X86_64, null)).bytes(Compression.GZIP);
        byte[] arm = TestLayer.create().file("/app", 0755, TestElf.elf64(TestElf.EM_AARCH64, null)).bytes(Compression.GZIP);
        Path file = TestImages.ociArchive(tmp.resolve("multi.tar"), "multi",
                new TestImages.Spec("linux/amd64", List.of("/app"), null).layer(amd),
                new TestImages.Spec("linux/arm64/v8", List.of("/app"), null).layer(arm));
        try (ImageArchive archive = ImageArchive.open(file)) {
            List<ImageManifest> ms = archive.manifests();
            assertEquals(2, ms.size());
            assertEquals(Platform.parse("linux/amd64"), ms.get(0).platform().get());
            assertEquals(Platform.parse("linux/arm64/v8"), ms.get(1).platform().get());
            assertEquals("multi", ms.get(1).name());
            ImageFileTree armTree = archive.tree(ms.get(1), POLICY, n -> { });
            byte[] head = readBytes(armTree, "/app", 20);
            assertEquals(TestElf.EM_AARCH64, head[18] & 0xff);
        }
    }

    @Test
    void opaqueDirectoryHidesLowerLayersButNotItsOwn() throws IOException {
        byte[] lower = TestLayer.create().file("/opt/x/y", 0644, "y").file("/opt/z", 0755, "z")
                .file("/keep", 0644, "k").bytes(Compression.NONE);
        // The layer's own entry comes before the marker in tar order: it must survive.
        byte[] upper = TestLayer.create().file("/opt/new", 0644, "n").opaque("/opt").bytes(Compression.NONE);
        ImageFileTree tree = treeOf(lower, upper);
        assertEquals(List.of("new"), tree.list("/opt"));
        assertTrue(tree.lookup("/keep").isFound());
    }

    @Test
    void whiteoutOfADirectoryRemovesItsSubtreeAndALaterLayerMayRecreateIt() throws IOException {
        byte[] l1 = TestLayer.create().file("/d/one", 0644, "1").bytes(Compression.NONE);
        byte[] l2 = TestLayer.create().whiteout("/d").bytes(Compression.NONE);
        byte[] l3 = TestLayer.create().file("/d/two", 0644, "2").bytes(Compression.NONE);
        assertFalse(treeOf(l1, l2).lookup("/d").isFound());
        assertEquals(List.of("two"), treeOf(l1, l2, l3).list("/d"));
    }

    @Test
    void entriesBelowASymlinkedDirectoryLandInItsTarget() throws IOException {
        byte[] lower = TestLayer.create().dir("/usr/lib").symlink("/lib", "usr/lib").bytes(Compression.NONE);
        byte[] upper = TestLayer.create().file("/lib/ld-musl-x86_64.so.1", 0755, "x").bytes(Compression.NONE);
        ImageFileTree tree = treeOf(lower, upper);
        assertEquals(FileType.SYMLINK, tree.lookupNoFollow("/lib", "/").attributes().get().type());
        assertEquals(List.of("ld-musl-x86_64.so.1"), tree.list("/usr/lib"));
    }

    @Test
    void hardLinksShareTheInodeAndContent() throws IOException {
        byte[] layer = TestLayer.create().file("/bin/busybox", 0755, "#!/bin/true\n").hardlink("/bin/sh", "/bin/busybox")
                .bytes(Compression.NONE);
        ImageFileTree tree = treeOf(layer);
        assertEquals(tree.lookup("/bin/busybox").attributes().get().inode(),
                tree.lookup("/bin/sh").attributes().get().inode());
        assertEquals("#!/bin/true\n", read(tree, "/bin/sh", 100));
    }

    @Test
    void symlinksResolveInsideTheImageAndNeverLeaveIt() throws IOException {
        byte[] layer = TestLayer.create().file("/usr/bin/real", 0755, "x").symlink("/bin", "usr/bin")
                .symlink("/usr/bin/abs", "/usr/bin/real").symlink("/usr/bin/escape", "../../../../usr/bin/real")
                .symlink("/loop1", "/loop2").symlink("/loop2", "/loop1").symlink("/dangling", "/nowhere")
                .bytes(Compression.NONE);
        ImageFileTree tree = treeOf(layer);
        assertEquals("/usr/bin/real", tree.lookup("/bin/real").resolvedPath());
        assertEquals("/usr/bin/real", tree.lookup("/bin/abs").resolvedPath());
        assertEquals("/usr/bin/real", tree.lookup("/usr/bin/escape").resolvedPath(), "'..' stops at the root");
        assertEquals("/usr/bin/real", tree.lookup("real", "/bin").resolvedPath());
        assertEquals(Lookup.Status.LOOP, tree.lookup("/loop1").status());
        assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/dangling").status());
        assertEquals(FileType.SYMLINK, tree.lookupNoFollow("/dangling", "/").attributes().get().type());
        assertEquals(Lookup.Status.NOT_DIRECTORY, tree.lookup("/usr/bin/real/x").status());
    }

    @Test
    void elfProgramHeadersBeyondThePrefixAreCapturedButTheMiddleIsNot() throws IOException {
        byte[] elf = TestElf.elf64(TestElf.EM_X86_64, "/lib64/ld-linux-x86-64.so.2", 20_000, 100_000);
        ImageFileTree tree = treeOf(TestLayer.create().file("/bin/far", 0755, elf).bytes(Compression.GZIP));
        byte[] table = new byte[112];
        try (OpenedFile f = tree.open("/bin/far", "/")) {
            assertEquals(112, f.read(20_000, ByteBuffer.wrap(table)));
            ByteBuffer interp = ByteBuffer.allocate(27);
            assertEquals(27, f.read(20_112, interp));
            assertEquals("/lib64/ld-linux-x86-64.so.2", new String(interp.array(), StandardCharsets.US_ASCII));
            IOException e = assertThrows(IOException.class, () -> f.read(50_000, ByteBuffer.allocate(10)));
            assertTrue(e.getMessage().contains("not captured"), e.getMessage());
            assertEquals(-1, f.read(elf.length, ByteBuffer.allocate(1)));
        }
        assertEquals(java.util.Arrays.copyOf(elf, 64).length, readBytes(tree, "/bin/far", 64).length);
    }

    @Test
    void elfTablesBetweenTheElfPrefixAndTheScriptPrefixSurviveTrimming() throws IOException {
        byte[] elf = TestElf.elf64(TestElf.EM_X86_64, "/lib64/ld-linux-x86-64.so.2", 6_000, 50_000);
        ImageFileTree tree = treeOf(TestLayer.create().file("/bin/mid", 0755, elf).bytes(Compression.NONE));
        assertEquals(CapturePolicy.ELF_PREFIX + 112 + 28, tree.capturedBytes());
        try (OpenedFile f = tree.open("/bin/mid", "/")) {
            ByteBuffer table = ByteBuffer.allocate(112 + 28);
            while (table.hasRemaining()) {
                f.read(6_000 + table.position(), table);
            }
            assertEquals("/lib64/ld-linux-x86-64.so.2\0",
                    new String(table.array(), 112, 28, StandardCharsets.US_ASCII));
            assertThrows(IOException.class, () -> f.read(5_000, ByteBuffer.allocate(1)));
        }
    }

    @Test
    void armBinariesKeepTheirTailForTheAttributesSection() throws IOException {
        byte[] elf = TestElf.elf32Arm(600_000);
        elf[elf.length - 1] = 42;
        ImageFileTree tree = treeOf(TestLayer.create().file("/bin/arm", 0755, elf).bytes(Compression.NONE));
        try (OpenedFile f = tree.open("/bin/arm", "/")) {
            ByteBuffer last = ByteBuffer.allocate(1);
            assertEquals(1, f.read(elf.length - 1, last));
            assertEquals(42, last.get(0));
            assertThrows(IOException.class, () -> f.read(200_000, ByteBuffer.allocate(1)));
        }
    }

    @Test
    void nonExecutableFilesKeepOnlyASmallPrefix() throws IOException {
        byte[] big = new byte[100_000];
        ImageFileTree tree = treeOf(TestLayer.create().file("/data", 0644, big).bytes(Compression.NONE));
        assertEquals(CapturePolicy.ANY_FILE_PREFIX, tree.capturedBytes());
        try (OpenedFile f = tree.open("/data", "/")) {
            assertEquals(CapturePolicy.ANY_FILE_PREFIX, f.read(0, ByteBuffer.allocate(100_000)));
        }
    }

    @Test
    void fifosAndDirectoriesAreNeverOpened() throws IOException {
        ImageFileTree tree = treeOf(TestLayer.create().fifo("/run/pipe").dir("/d").bytes(Compression.NONE));
        assertEquals(FileType.FIFO, tree.lookup("/run/pipe").attributes().get().type());
        assertThrows(IOException.class, () -> tree.open("/run/pipe", "/"));
        assertThrows(IOException.class, () -> tree.open("/d", "/"));
    }

    @Test
    void layerEntriesThatClimbOutOfTheRootAreDropped() throws IOException {
        ImageFileTree tree = treeOf(TestLayer.create().file("../../etc/evil", 0755, "x").file("/ok", 0755, "y")
                .bytes(Compression.NONE));
        assertEquals(List.of("ok"), tree.list("/"));
    }

    @Test
    void unreadableInputsSayWhyInOneSentence() throws IOException {
        Path garbage = Files.write(tmp.resolve("garbage.tar"), "hello, not a tar at all".getBytes(StandardCharsets.UTF_8));
        assertThrows(ImageFormatException.class, () -> ImageArchive.open(garbage));

        Path plain = TestImages.dockerSaveLegacy(tmp.resolve("img.tar"), "x:1", twoLayers(Compression.NONE, Compression.NONE));
        Path gz = tmp.resolve("img.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageArchive.open(gz));
        assertTrue(e.getMessage().contains("compressed"), e.getMessage());

        Path noImage = tmp.resolve("other.tar");
        TestImages.writeTar(noImage, java.util.Map.of("hello.txt", new byte[3]));
        e = assertThrows(ImageFormatException.class, () -> ImageArchive.open(noImage));
        assertTrue(e.getMessage().contains("neither"), e.getMessage());

        Path escaping = tmp.resolve("escape.tar");
        TestImages.writeTar(escaping, java.util.Map.of("manifest.json",
                "[{\"Config\":\"../../etc/passwd\",\"Layers\":[]}]".getBytes(StandardCharsets.UTF_8)));
        e = assertThrows(ImageFormatException.class, () -> ImageArchive.open(escaping));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void aLayoutWhoseBlobIsASymlinkOutOfTheLayoutIsRefused() throws IOException {
        Path dir = TestImages.ociLayout(Files.createDirectory(tmp.resolve("layout")), "v1",
                twoLayers(Compression.NONE, Compression.NONE));
        Path index = dir.resolve("index.json");
        Path outside = Files.write(tmp.resolve("outside.json"), Files.readAllBytes(index));
        Files.delete(index);
        Files.createSymbolicLink(index, outside);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageArchive.open(dir));
        assertTrue(e.getMessage().contains("outside the layout"), e.getMessage());
    }

    @Test
    void aCorruptLayerIsReportedAsSuch() throws IOException {
        byte[] corrupt = new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7};
        Path file = TestImages.dockerSaveLegacy(tmp.resolve("bad.tar"), "bad:1",
                new TestImages.Spec("linux/amd64", List.of("/x"), null).layer(corrupt));
        try (ImageArchive archive = ImageArchive.open(file)) {
            ImageFormatException e = assertThrows(ImageFormatException.class,
                    () -> archive.tree(archive.manifests().get(0), POLICY, n -> { }));
            assertTrue(e.getMessage().contains("layer"), e.getMessage());
        }
    }

    @Test
    void aLargeExecutableCostsOnlyItsPrefixInMemory() throws IOException {
        byte[] big = new byte[40 * 1024 * 1024];
        big[0] = '#';
        big[1] = '!';
        ImageFileTree tree = treeOf(TestLayer.create().file("/bin/huge", 0755, big).bytes(Compression.GZIP));
        assertEquals(CapturePolicy.OTHER_EXECUTABLE_PREFIX, tree.capturedBytes());
        assertEquals(big.length, tree.lookup("/bin/huge").attributes().get().size());
    }

    @Test
    void aLayerEntryShorterThanItsDeclaredSizeIsACorruptLayer() throws IOException {
        byte[] layer = TestLayer.create().file("/bin/cut", 0755, new byte[10_000]).bytes(Compression.NONE);
        byte[] truncated = java.util.Arrays.copyOf(layer, 512 + 2048);
        Path file = TestImages.dockerSaveLegacy(tmp.resolve("cut.tar"), "cut:1",
                new TestImages.Spec("linux/amd64", List.of(), null).layer(truncated));
        try (ImageArchive archive = ImageArchive.open(file)) {
            ImageFormatException e = assertThrows(ImageFormatException.class,
                    () -> archive.tree(archive.manifests().get(0), POLICY, n -> { }));
            assertTrue(e.getMessage().contains("layer"), e.getMessage());
        }
    }

    private ImageFileTree treeOf(byte[]... layers) throws IOException {
        TestImages.Spec spec = new TestImages.Spec("linux/amd64", Collections.emptyList(), null);
        for (byte[] l : layers) {
            spec.layer(l);
        }
        Path file = TestImages.dockerSaveLegacy(Files.createTempFile(tmp, "img", ".tar"), "t:1", spec);
        try (ImageArchive archive = ImageArchive.open(file)) {
            return archive.tree(archive.manifests().get(0), POLICY, n -> { });
        }
    }

    static String read(ImageFileTree tree, String path, int max) throws IOException {
        return new String(readBytes(tree, path, max), StandardCharsets.UTF_8);
    }

    static byte[] readBytes(ImageFileTree tree, String path, int max) throws IOException {
        try (OpenedFile f = tree.open(path, "/")) {
            ByteBuffer buf = ByteBuffer.allocate(max);
            while (buf.hasRemaining()) {
                int n = f.read(buf.position(), buf);
                if (n < 0) {
                    break;
                }
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        }
    }
}
