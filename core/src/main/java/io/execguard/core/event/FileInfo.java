package io.execguard.core.event;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.hash.FileHasher;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code file.*}: the file the exec targeted. {@code file.elf.*} comes from the diagnosis evidence. Immutable.
 */
public final class FileInfo {
    private final String path;
    private final FileAttributes attributes;
    private final String sha256;

    private FileInfo(String path, FileAttributes attributes, String sha256) {
        this.path = Objects.requireNonNull(path, "path");
        this.attributes = attributes;
        this.sha256 = sha256;
    }

    /** A target known only by its path (e.g. it no longer exists). */
    public static FileInfo of(String path) {
        return new FileInfo(path, null, null);
    }

    /** A target with its {@code stat} facts ({@code file.size}, {@code file.mode}, {@code file.inode}...). */
    public static FileInfo of(String path, FileAttributes attributes) {
        return new FileInfo(path, Objects.requireNonNull(attributes, "attributes"), null);
    }

    /**
     * The target as {@code tree} shows it: {@code stat} facts when the path resolves (symlinks followed inside the
     * tree), and its SHA-256 when {@code hasher} hashes it (regular file within the size limit; cached). Never
     * throws: what cannot be learnt is left out. {@code file.path} is {@code path} made absolute against
     * {@code cwd}.
     */
    public static FileInfo describe(FileTree tree, String path, String cwd, FileHasher hasher) {
        String absolute = absolute(path, cwd);
        FileAttributes attributes;
        try {
            attributes = tree.lookup(path, cwd).attributes().orElse(null);
        } catch (RuntimeException e) {
            attributes = null;
        }
        String sha256 = attributes == null ? null : hasher.sha256(tree, path, cwd).orElse(null);
        return new FileInfo(absolute, attributes, sha256);
    }

    private static String absolute(String path, String cwd) {
        if (path.startsWith("/") || cwd == null || cwd.isEmpty()) {
            return path;
        }
        return cwd.endsWith("/") ? cwd + path : cwd + "/" + path;
    }

    /** A copy with {@code file.hash.sha256} (lower-case hex, see {@code io.execguard.core.hash.FileHasher}). */
    public FileInfo withSha256(String sha256Hex) {
        return new FileInfo(path, attributes, sha256Hex);
    }

    /** {@code file.path}: as the caller named it, made absolute against its working directory where known. */
    public String path() {
        return path;
    }

    public Optional<FileAttributes> attributes() {
        return Optional.ofNullable(attributes);
    }

    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileInfo)) {
            return false;
        }
        FileInfo f = (FileInfo) o;
        return path.equals(f.path) && Objects.equals(attributes, f.attributes) && Objects.equals(sha256, f.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, attributes, sha256);
    }

    @Override
    public String toString() {
        return path + (attributes == null ? "" : " " + attributes);
    }
}
