package io.execguard.sidecar.scan.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes real container images for tests, in every layout scan reads: {@code docker save} (legacy and OCI-based),
 * OCI image layout directories and OCI archives, with single- and multi-platform indexes.
 */
public final class TestImages {
    private TestImages() {
    }

    /** One image: its platform, start command and layers (already compressed as the test wants). */
    public static final class Spec {
        final String os;
        final String arch;
        final String variant;
        final List<String> entrypoint;
        final List<String> cmd;
        final List<String> env = new ArrayList<>();
        final List<byte[]> layers = new ArrayList<>();
        String workingDir = "";

        public Spec(String platform, List<String> entrypoint, List<String> cmd) {
            String[] p = platform.split("/");
            this.os = p[0];
            this.arch = p[1];
            this.variant = p.length > 2 ? p[2] : null;
            this.entrypoint = entrypoint;
            this.cmd = cmd;
        }

        public Spec layer(byte[] layer) {
            layers.add(layer);
            return this;
        }

        public Spec env(String kv) {
            env.add(kv);
            return this;
        }

        public Spec workingDir(String dir) {
            workingDir = dir;
            return this;
        }

        byte[] config() {
            StringBuilder sb = new StringBuilder("{\"architecture\":\"" + arch + "\",\"os\":\"" + os + "\"");
            if (variant != null) {
                sb.append(",\"variant\":\"").append(variant).append('"');
            }
            sb.append(",\"config\":{\"Entrypoint\":").append(array(entrypoint)).append(",\"Cmd\":")
                    .append(array(cmd)).append(",\"Env\":").append(array(env)).append(",\"WorkingDir\":\"")
                    .append(workingDir).append("\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        String platformJson() {
            return "{\"os\":\"" + os + "\",\"architecture\":\"" + arch + "\""
                    + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}";
        }
    }

    /** Legacy {@code docker save}: {@code <id>/layer.tar}, {@code <id>.json} config and {@code manifest.json}. */
    public static Path dockerSaveLegacy(Path file, String tag, Spec spec) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] config = spec.config();
        String configName = sha256(config) + ".json";
        files.put(configName, config);
        List<String> layerNames = new ArrayList<>();
        for (byte[] layer : spec.layers) {
            String id = sha256(layer);
            files.put(id + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
            files.put(id + "/layer.tar", layer);
            layerNames.add(id + "/layer.tar");
        }
        files.put("manifest.json", ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":"
                + array(layerNames) + "}]").getBytes(StandardCharsets.UTF_8));
        files.put("repositories", "{}".getBytes(StandardCharsets.UTF_8));
        writeTar(file, files);
        return file;
    }

    /** Newer {@code docker save} (Docker 25+): OCI blobs, {@code index.json} and {@code manifest.json}. */
    public static Path dockerSaveOci(Path file, String tag, Spec spec) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String manifestDigest = addImage(files, spec);
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + manifestDigest + "\",\"size\":1,\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/"
                + tag + "\",\"org.opencontainers.image.ref.name\":\"latest\"}}]}").getBytes(StandardCharsets.UTF_8));
        List<String> layerNames = new ArrayList<>();
        for (byte[] layer : spec.layers) {
            layerNames.add("blobs/sha256/" + sha256(layer));
        }
        files.put("manifest.json", ("[{\"Config\":\"blobs/sha256/" + sha256(spec.config()) + "\",\"RepoTags\":[\""
                + tag + "\"],\"Layers\":" + array(layerNames) + "}]").getBytes(StandardCharsets.UTF_8));
        writeTar(file, files);
        return file;
    }

    /** An OCI layout directory; more than one spec makes a multi-platform index (nested, like buildx). */
    public static Path ociLayout(Path dir, String name, Spec... specs) throws IOException {
        for (Map.Entry<String, byte[]> e : ociFiles(name, specs).entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return dir;
    }

    /** An OCI archive: the layout as one tar. */
    public static Path ociArchive(Path file, String name, Spec... specs) throws IOException {
        writeTar(file, ociFiles(name, specs));
        return file;
    }

    private static Map<String, byte[]> ociFiles(String name, Spec... specs) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        String annotations = ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + name + "\"}";
        String top;
        if (specs.length == 1) {
            top = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                    + addImage(files, specs[0]) + "\",\"size\":1" + annotations + "}";
        } else {
            StringBuilder nested = new StringBuilder();
            for (Spec s : specs) {
                nested.append(nested.length() == 0 ? "" : ",")
                        .append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
                        .append(addImage(files, s)).append("\",\"size\":1,\"platform\":").append(s.platformJson())
                        .append('}');
            }
            // An attestation manifest, as buildx writes one: scan must skip it.
            byte[] attestation = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"},\"layers\":[]}".getBytes(StandardCharsets.UTF_8);
            String attestationDigest = "sha256:" + sha256(attestation);
            files.put("blobs/sha256/" + sha256(attestation), attestation);
            nested.append(",{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
                    .append(attestationDigest).append("\",\"size\":1,\"platform\":{\"os\":\"unknown\",")
                    .append("\"architecture\":\"unknown\"},\"annotations\":{\"vnd.docker.reference.type\":")
                    .append("\"attestation-manifest\"}}");
            byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                    + "\"manifests\":[" + nested + "]}").getBytes(StandardCharsets.UTF_8);
            files.put("blobs/sha256/" + sha256(index), index);
            top = "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:" + sha256(index)
                    + "\",\"size\":1" + annotations + "}";
        }
        files.put("index.json", ("{\"schemaVersion\":2,\"manifests\":[" + top + "]}")
                .getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** Adds config, layers and manifest blobs; returns the manifest digest. */
    private static String addImage(Map<String, byte[]> files, Spec spec) {
        byte[] config = spec.config();
        files.put("blobs/sha256/" + sha256(config), config);
        StringBuilder layers = new StringBuilder();
        for (byte[] layer : spec.layers) {
            files.put("blobs/sha256/" + sha256(layer), layer);
            layers.append(layers.length() == 0 ? "" : ",")
                    .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:")
                    .append(sha256(layer)).append("\",\"size\":").append(layer.length).append('}');
        }
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[" + layers + "]}")
                .getBytes(StandardCharsets.UTF_8);
        files.put("blobs/sha256/" + sha256(manifest), manifest);
        return "sha256:" + sha256(manifest);
    }

    static void writeTar(Path file, Map<String, byte[]> files) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    static String array(List<String> values) {
        if (values == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            sb.append(sb.length() == 1 ? "" : ",").append('"')
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n"))
                    .append('"');
        }
        return sb.append(']').toString();
    }

    static String sha256(byte[] bytes) {
        try {
            StringBuilder sb = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
