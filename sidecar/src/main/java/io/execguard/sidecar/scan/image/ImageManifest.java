package io.execguard.sidecar.scan.image;

import io.execguard.core.platform.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One runnable image inside an archive or layout: a name for reports, its platform, its configuration and its
 * layers (names inside the {@link BlobStore}, bottom layer first). A multi-platform index yields one per
 * platform. Immutable.
 */
public final class ImageManifest {
    private final String name;
    private final Platform platform;
    private final ImageConfig config;
    private final List<String> layers;

    ImageManifest(String name, Platform platform, ImageConfig config, List<String> layers) {
        this.name = name;
        this.platform = platform;
        this.config = config;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    /** A name for reports: the tag when the archive has one, else the manifest or config digest. */
    public String name() {
        return name;
    }

    /** The platform from the index descriptor, else from the configuration; empty when neither says. */
    public Optional<Platform> platform() {
        return platform != null ? Optional.of(platform) : config.platform();
    }

    public ImageConfig config() {
        return config;
    }

    /** Layer names inside the store, bottom first. */
    public List<String> layers() {
        return layers;
    }

    @Override
    public String toString() {
        return name + platform().map(p -> " (" + p + ")").orElse("");
    }
}
