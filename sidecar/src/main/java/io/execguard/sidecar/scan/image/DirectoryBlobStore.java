package io.execguard.sidecar.scan.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of an OCI image layout directory. */
final class DirectoryBlobStore implements BlobStore {
    private final Path root;

    DirectoryBlobStore(Path root) {
        this.root = root;
    }

    @Override
    public boolean exists(String name) {
        // Only asks; open() refuses what leads outside the layout.
        try {
            return Files.isRegularFile(root.resolve(BlobStore.checkedName(name, describe())));
        } catch (ImageFormatException e) {
            return false;
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        Path p = resolve(name);
        // Refuse FIFOs and devices planted in a layout: opening them could block.
        if (!Files.isRegularFile(p)) {
            throw new ImageFormatException(describe() + " has no regular file " + name);
        }
        return Files.newInputStream(p);
    }

    /** The file for {@code name}; symlinks inside the layout must not lead out of it. */
    private Path resolve(String name) throws ImageFormatException {
        Path p = root.resolve(BlobStore.checkedName(name, describe()));
        try {
            if (Files.exists(p) && !p.toRealPath().startsWith(root.toRealPath())) {
                throw new ImageFormatException("refusing " + name + " in " + describe()
                        + ": it is a symlink that leads outside the layout");
            }
        } catch (IOException e) {
            if (e instanceof ImageFormatException) {
                throw (ImageFormatException) e;
            }
            throw new ImageFormatException("cannot read " + name + " in " + describe() + " (" + e.getMessage() + ")", e);
        }
        return p;
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
