package io.execguard.sidecar.scan;

import io.execguard.core.fs.FileTree;
import io.execguard.sidecar.scan.image.ImageFileTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The C library an image provides, decided from the dynamic loaders it ships: {@code ld-musl-*} means musl,
 * {@code ld-linux*} / {@code ld64.so*} mean glibc. Both can be present (gcompat on Alpine puts a glibc-named
 * loader beside musl's). Immutable.
 */
final class ImageLibc {
    static final String GLIBC = "glibc";
    static final String MUSL = "musl";
    static final String BOTH = "glibc+musl";
    static final String NONE = "none";

    private static final String[] LOADER_DIRS = {"/lib", "/lib64", "/usr/lib", "/usr/lib64"};

    private final String flavour;
    private final List<String> loaders;

    private ImageLibc(String flavour, List<String> loaders) {
        this.flavour = flavour;
        this.loaders = Collections.unmodifiableList(loaders);
    }

    /** Looks for loaders that resolve (dangling symlinks do not count) in the usual directories. */
    static ImageLibc of(ImageFileTree tree) {
        boolean glibc = false;
        boolean musl = false;
        List<String> loaders = new ArrayList<>();
        for (String dir : LOADER_DIRS) {
            for (String name : tree.list(dir)) {
                boolean isMusl = name.startsWith("ld-musl-");
                boolean isGlibc = name.startsWith("ld-linux") || name.startsWith("ld64.so");
                if ((isMusl || isGlibc) && resolves(tree, dir + "/" + name)) {
                    loaders.add(dir + "/" + name);
                    musl |= isMusl;
                    glibc |= isGlibc;
                }
            }
        }
        String flavour = glibc && musl ? BOTH : glibc ? GLIBC : musl ? MUSL : NONE;
        return new ImageLibc(flavour, loaders);
    }

    private static boolean resolves(FileTree tree, String path) {
        return tree.lookup(path, "/").isFound();
    }

    /** {@code glibc}, {@code musl}, {@code glibc+musl} or {@code none} (static binaries only, or distroless). */
    String flavour() {
        return flavour;
    }

    /** The loader files found, for messages. */
    List<String> loaders() {
        return loaders;
    }

    /** True when a binary for {@code binaryLibc} ({@code glibc} or {@code musl}) finds no loader of its kind. */
    boolean lacks(String binaryLibc) {
        return (GLIBC.equals(binaryLibc) || MUSL.equals(binaryLibc)) && !flavour.contains(binaryLibc);
    }

    @Override
    public String toString() {
        return loaders.isEmpty() ? flavour : flavour + " (" + String.join(", ", loaders) + ")";
    }
}
