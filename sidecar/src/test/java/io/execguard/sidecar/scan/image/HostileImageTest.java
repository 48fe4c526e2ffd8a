package io.execguard.sidecar.scan.image;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated layers and manifests (bit flips, truncation, random bytes) always end in a merged tree or in an
 * {@link ImageFormatException} with a message: never another exception, never a hang.
 */
class HostileImageTest {
    private static final CapturePolicy POLICY = CapturePolicy.withEntrypointNames(Set.of());

    @TempDir
    Path tmp;

    private static byte[] validLayer(TestLayer.Compression c) {
        return TestLayer.create().dir("/bin").file("/bin/app", 0755, TestElf.elf64(TestElf.EM_X86_64, "/lib/ld.so"))
                .file("/bin/run.sh", 0755, "#!/bin/sh\nexec /bin/app\n").symlink("/bin/sh", "app")
                .hardlink("/bin/app2", "/bin/app").whiteout("/etc/x").opaque("/opt").bytes(c);
    }

    @Test
    void mutatedLayersNeverEscapeTheDefinedOutcomes() {
        Random random = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (TestLayer.Compression c : TestLayer.Compression.values()) {
                byte[] valid = validLayer(c);
                for (int i = 0; i < 60; i++) {
                    readLayer(mutate(valid, random), i);
                }
            }
        });
    }

    @Test
    void mutatedManifestsNeverEscapeTheDefinedOutcomes() {
        Random random = new Random(11);
        String manifest = "[{\"Config\":\"c.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"l/layer.tar\"]}]";
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/bin/app\"]}}";
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 150; i++) {
                byte[] m = mutate(manifest.getBytes(StandardCharsets.UTF_8), random);
                byte[] cfg = mutate(config.getBytes(StandardCharsets.UTF_8), random);
                Path file = tmp.resolve("m" + i + ".tar");
                TestImages.writeTar(file, new java.util.LinkedHashMap<>(java.util.Map.of("manifest.json", m,
                        "c.json", cfg, "l/layer.tar", validLayer(TestLayer.Compression.NONE))));
                try (ImageArchive archive = ImageArchive.open(file)) {
                    for (ImageManifest im : archive.manifests()) {
                        archive.tree(im, POLICY, n -> { });
                    }
                } catch (ImageFormatException expected) {
                    requireMessage(expected);
                }
            }
        });
    }

    private void readLayer(byte[] layer, int i) throws IOException {
        Path file = TestImages.dockerSaveLegacy(tmp.resolve("l" + i + ".tar"), "x:1",
                new TestImages.Spec("linux/amd64", List.of("/bin/run.sh"), null).layer(layer));
        try (ImageArchive archive = ImageArchive.open(file)) {
            ImageFileTree tree = archive.tree(archive.manifests().get(0), POLICY, n -> { });
            tree.walk((path, attributes) -> tree.lookup(path, "/"));
        } catch (ImageFormatException expected) {
            requireMessage(expected);
        }
        Files.delete(file);
    }

    private static void requireMessage(ImageFormatException e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("an image error without a message", e);
        }
    }

    /** Flips bytes, truncates, or overwrites a run with random bytes. */
    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        switch (random.nextInt(3)) {
            case 0:
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            case 1:
                return java.util.Arrays.copyOf(b, random.nextInt(b.length));
            default:
                int at = random.nextInt(b.length);
                for (int k = at; k < Math.min(b.length, at + 64); k++) {
                    b[k] = (byte) random.nextInt(256);
                }
                return b;
        }
    }
}
