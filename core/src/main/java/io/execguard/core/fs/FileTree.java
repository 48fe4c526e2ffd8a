package io.execguard.core.fs;

import java.io.IOException;
import java.util.Optional;

/**
 * A file system seen from a root: the host's {@code /}, a container's root ({@code /proc/PID/root}, opened safely
 * by the sidecar), or an image's merged layers (scan). Paths are absolute inside the tree; symlinks, {@code ..}
 * and interpreter paths resolve inside it and can never leave it, like {@code openat2(RESOLVE_IN_ROOT)}.
 */
public interface FileTree {
    /**
     * Resolves {@code path} (absolute inside the tree, or relative to {@code cwd}) following symlinks inside the
     * tree. Never opens the file and never throws for a missing file: the status says what happened.
     */
    Lookup lookup(String path, String cwd);

    /** {@link #lookup(String, String)} for an absolute path. */
    default Lookup lookup(String path) {
        return lookup(path, "/");
    }

    /**
     * Opens a regular file for reading. Never blocks on a FIFO, device or socket: those are refused with an
     * {@link IOException} before any open that could block.
     *
     * @throws IOException when the path does not resolve to a regular file or cannot be read
     */
    OpenedFile open(String path, String cwd) throws IOException;

    /**
     * Opens the regular file a successful {@link #lookup(String, String)} found, without resolving the path again
     * where the tree can avoid it. The default resolves {@link Lookup#resolvedPath()} once more.
     *
     * @throws IOException when the file is no longer a readable regular file
     */
    default OpenedFile open(Lookup found) throws IOException {
        return open(found.resolvedPath(), "/");
    }

    /**
     * The mount table that applies to this tree's files, as a path to read in {@code /proc/PID/mountinfo} format,
     * with mount points relative to this tree's root. Empty for trees that are not live file systems (images).
     */
    default Optional<String> mountInfoPath() {
        return Optional.empty();
    }

    /**
     * True when this tree is a live file system on this kernel, so host facts (binfmt_misc handlers, compat
     * support) apply to it when the target platform is the host's.
     */
    default boolean live() {
        return false;
    }

    /** A short description for messages, e.g. {@code /} or {@code /proc/1234/root} or {@code image sha256:...}. */
    String describe();
}
