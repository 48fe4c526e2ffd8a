package io.execguard.sidecar.scan.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.core.platform.Platform;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A container image read without a daemon or registry: a {@code docker save} tarball (the legacy
 * {@code <id>/layer.tar} + {@code manifest.json} layout or the newer one with an OCI {@code index.json}), an OCI
 * image layout directory, or an OCI archive (a tar of a layout). Multi-platform indexes yield one
 * {@link ImageManifest} per platform; attestation manifests are skipped.
 */
public final class ImageArchive implements Closeable {
    /** JSON documents (index, manifest, config) larger than this are refused rather than read into memory. */
    static final int MAX_JSON_BYTES = 16 * 1024 * 1024;
    private static final int MAX_INDEX_DEPTH = 4;

    private final BlobStore store;
    private final String format;
    private final List<ImageManifest> manifests;

    private ImageArchive(BlobStore store, String format, List<ImageManifest> manifests) {
        this.store = store;
        this.format = format;
        this.manifests = manifests;
    }

    /** True when {@code dir} is an OCI image layout (has {@code oci-layout} or {@code index.json}). */
    public static boolean isLayoutDirectory(Path dir) {
        return Files.isDirectory(dir)
                && (Files.isRegularFile(dir.resolve("oci-layout")) || Files.isRegularFile(dir.resolve("index.json")));
    }

    /**
     * Opens an image archive file or layout directory and reads its manifests and configurations.
     *
     * @throws ImageFormatException with a one-sentence reason when it is not a readable image
     */
    public static ImageArchive open(Path input) throws ImageFormatException {
        BlobStore store = openStore(input);
        try {
            Reader r = new Reader(store);
            if (store.exists("index.json")) {
                return new ImageArchive(store, store instanceof TarBlobStore ? "OCI archive" : "OCI layout",
                        r.fromIndex());
            }
            if (store.exists("manifest.json")) {
                return new ImageArchive(store, "docker save archive", r.fromDockerManifest());
            }
            throw new ImageFormatException(store.describe() + " is neither a docker save archive nor an OCI image "
                    + "(no manifest.json or index.json)");
        } catch (ImageFormatException e) {
            closeQuietly(store);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(store);
            throw new ImageFormatException("cannot read the image " + input + " (" + e.getMessage() + ")", e);
        }
    }

    private static BlobStore openStore(Path input) throws ImageFormatException {
        if (Files.isDirectory(input)) {
            return new DirectoryBlobStore(input);
        }
        if (!Files.isRegularFile(input)) {
            throw new ImageFormatException(input + " is neither a directory nor a regular file");
        }
        try (InputStream in = Files.newInputStream(input)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b
                    || magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5) {
                throw new ImageFormatException(input + " is compressed: scan reads the uncompressed tar that docker "
                        + "save writes (decompress it first, e.g. gunzip or zstd -d)");
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageFormatException("cannot read " + input + " (" + e.getMessage() + ")", e);
        }
        return TarBlobStore.open(input);
    }

    /** What kind of archive this is, for reports ({@code docker save archive}, {@code OCI layout}...). */
    public String format() {
        return format;
    }

    /** Every runnable image in the archive, in archive order. */
    public List<ImageManifest> manifests() {
        return manifests;
    }

    /**
     * Streams the layers of {@code manifest}, bottom first, into a merged {@link ImageFileTree}.
     *
     * @param layerBytes told how many (stored, possibly compressed) bytes of layer data were read so far
     */
    public ImageFileTree tree(ImageManifest manifest, CapturePolicy policy, LongConsumer layerBytes)
            throws ImageFormatException {
        ImageTreeBuilder builder = new ImageTreeBuilder();
        long[] total = {0};
        for (int i = 0; i < manifest.layers().size(); i++) {
            String layer = manifest.layers().get(i);
            try (InputStream raw = new CountingInputStream(store.open(layer), n -> {
                total[0] += n;
                layerBytes.accept(total[0]);
            })) {
                LayerApplier.apply(raw, layer, i, builder, policy);
            } catch (ImageFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new ImageFormatException("cannot read layer " + layer + " of " + store.describe() + " ("
                        + e.getMessage() + ")", e);
            }
        }
        return new ImageFileTree(builder.root(), manifest.name(), builder.capturedBytes());
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Already failing with a better message.
        }
    }

    /** Reads the JSON documents of one store. */
    private static final class Reader {
        private final BlobStore store;
        private final ObjectMapper json = new ObjectMapper();

        Reader(BlobStore store) {
            this.store = store;
        }

        List<ImageManifest> fromDockerManifest() throws IOException {
            JsonNode list = read("manifest.json");
            if (!list.isArray() || list.isEmpty()) {
                throw new ImageFormatException("manifest.json in " + store.describe() + " lists no image");
            }
            List<ImageManifest> out = new ArrayList<>();
            for (JsonNode m : list) {
                String configName = text(m, "Config");
                if (configName == null) {
                    throw new ImageFormatException("manifest.json in " + store.describe() + " names no Config");
                }
                List<String> layers = new ArrayList<>();
                for (JsonNode l : m.path("Layers")) {
                    layers.add(l.asText());
                }
                JsonNode tags = m.path("RepoTags");
                String name = tags.isArray() && tags.size() > 0 ? tags.get(0).asText() : configName;
                out.add(new ImageManifest(name, null, config(read(configName)), layers));
            }
            return Collections.unmodifiableList(out);
        }

        List<ImageManifest> fromIndex() throws IOException {
            List<ImageManifest> out = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            walkIndex(read("index.json"), null, 0, out, missing);
            if (out.isEmpty()) {
                throw new ImageFormatException("index.json in " + store.describe() + " leads to no image manifest"
                        + (missing.isEmpty() ? "" : " present in it (missing: " + String.join(", ", missing) + ")"));
            }
            return Collections.unmodifiableList(out);
        }

        private void walkIndex(JsonNode index, String nameHint, int depth, List<ImageManifest> out,
                               List<String> missing) throws IOException {
            if (depth > MAX_INDEX_DEPTH) {
                throw new ImageFormatException("image indexes in " + store.describe() + " nest too deeply");
            }
            for (JsonNode d : index.path("manifests")) {
                String name = refName(d, nameHint);
                String blob = store.blobName(text(d, "digest"));
                if (isAttestation(d)) {
                    continue;
                }
                if (!store.exists(blob)) {
                    missing.add(text(d, "digest"));
                    continue;
                }
                JsonNode doc = read(blob);
                if (doc.has("manifests")) {
                    walkIndex(doc, name, depth + 1, out, missing);
                } else {
                    out.add(manifest(doc, d, name == null ? text(d, "digest") : name));
                }
            }
        }

        private ImageManifest manifest(JsonNode doc, JsonNode descriptor, String name) throws IOException {
            JsonNode configDescriptor = doc.path("config");
            ImageConfig config = config(read(store.blobName(text(configDescriptor, "digest"))));
            List<String> layers = new ArrayList<>();
            for (JsonNode l : doc.path("layers")) {
                layers.add(store.blobName(text(l, "digest")));
            }
            return new ImageManifest(name, platform(descriptor.path("platform")), config, layers);
        }

        private static boolean isAttestation(JsonNode d) {
            JsonNode p = d.path("platform");
            return "attestation-manifest".equals(d.path("annotations").path("vnd.docker.reference.type").asText())
                    || "unknown".equals(p.path("os").asText()) && "unknown".equals(p.path("architecture").asText());
        }

        private static String refName(JsonNode d, String hint) {
            JsonNode a = d.path("annotations");
            for (String key : new String[] {"io.containerd.image.name", "org.opencontainers.image.ref.name"}) {
                if (a.hasNonNull(key)) {
                    return a.get(key).asText();
                }
            }
            return hint;
        }

        private static ImageConfig config(JsonNode c) {
            JsonNode cfg = c.path("config");
            return new ImageConfig(platform(c), strings(cfg.path("Entrypoint")), strings(cfg.path("Cmd")),
                    strings(cfg.path("Env")), cfg.path("WorkingDir").asText(""));
        }

        private static Platform platform(JsonNode p) {
            String os = p.path("os").asText("");
            String arch = p.path("architecture").asText("");
            if (os.isEmpty() || arch.isEmpty()) {
                return null;
            }
            return Platform.of(os, arch, p.path("variant").asText(""));
        }

        private static List<String> strings(JsonNode n) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : n) {
                out.add(s.asText());
            }
            return out;
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }

        private JsonNode read(String name) throws IOException {
            try (InputStream in = store.open(name)) {
                byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
                if (bytes.length > MAX_JSON_BYTES) {
                    throw new ImageFormatException(name + " in " + store.describe() + " is larger than "
                            + MAX_JSON_BYTES + " bytes: not an image document");
                }
                return json.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ImageFormatException(name + " in " + store.describe() + " is not valid JSON ("
                        + e.getOriginalMessage() + ")", e);
            }
        }
    }

    /** Reports how many bytes went through, so a progress bar can follow the layer stream. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final LongConsumer counted;

        CountingInputStream(InputStream in, LongConsumer counted) {
            super(in);
            this.counted = counted;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted.accept(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            if (s > 0) {
                counted.accept(s);
            }
            return s;
        }
    }
}
