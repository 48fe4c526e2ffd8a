package io.execguard.sidecar.scan.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The files of an OCI image layout directory. */
final class DirectoryBlobStore implements BlobStore {
    private final Path root;

    DirectoryBlobStore(Path root) {
        this.root = root;
    }

    @Override
    public boolean exists(String name) {
        try {
            return Files.isRegularFile(resolve(name));
        } catch (ImageFormatException e) {
            return false;
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        Path p = resolve(name);
        // Refuse FIFOs and devices planted in a layout: opening them could block.
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
            throw new ImageFormatException(describe() + " has no regular file " + name);
        }
        return Files.newInputStream(p);
    }

    private Path resolve(String name) throws ImageFormatException {
        return root.resolve(BlobStore.checkedName(name, describe()));
    }

    @Override
    public String describe() {
        return "the OCI layout " + root;
    }

    @Override
    public void close() {
        // Nothing held open between reads.
    }
}
