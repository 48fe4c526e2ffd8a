package io.execguard.core.fs;

import java.nio.file.Path;

/**
 * A directory of this machine treated as a root: {@code /} itself, an unpacked root file system, or a build output.
 * Resolution stays inside the root like {@code openat2(RESOLVE_IN_ROOT)}, using java.nio only.
 */
public final class HostFileTree implements FileTree {
    private final Path root;

    private HostFileTree(Path root) {
        this.root = root;
    }

    /** The host's {@code /}: a live tree, where host facts apply. */
    public static HostFileTree root() {
        return new HostFileTree(Path.of("/"));
    }

    /** {@code directory} treated as the root of a tree. */
    public static HostFileTree of(Path directory) {
        return new HostFileTree(directory);
    }

    @Override
    public Lookup lookup(String path, String cwd) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public OpenedFile open(String path, String cwd) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
