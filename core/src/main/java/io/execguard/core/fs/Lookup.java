package io.execguard.core.fs;

import java.util.Objects;
import java.util.Optional;

/** The outcome of resolving a path inside a {@link FileTree}. Immutable. */
public final class Lookup {
    /** How resolution ended. */
    public enum Status {
        /** The path resolves to an object; {@link #attributes()} is present. */
        FOUND,
        /** A component does not exist (ENOENT). */
        NOT_FOUND,
        /** A non-final component is not a directory (ENOTDIR). */
        NOT_DIRECTORY,
        /** Too many symlinks (ELOOP). */
        LOOP,
        /** A directory on the way could not be searched (EACCES). */
        ACCESS_DENIED,
        /** Anything else: the detail says what. */
        ERROR
    }

    private final Status status;
    private final String resolvedPath;
    private final FileAttributes attributes;
    private final String detail;

    private Lookup(Status status, String resolvedPath, FileAttributes attributes, String detail) {
        this.status = Objects.requireNonNull(status, "status");
        this.resolvedPath = Objects.requireNonNull(resolvedPath, "resolvedPath");
        this.attributes = attributes;
        this.detail = detail;
    }

    /** A found object at {@code resolvedPath} (absolute inside the tree, symlinks followed). */
    public static Lookup found(String resolvedPath, FileAttributes attributes) {
        return new Lookup(Status.FOUND, resolvedPath, Objects.requireNonNull(attributes, "attributes"), null);
    }

    /** A failed resolution; {@code resolvedPath} is as far as it got. */
    public static Lookup failed(Status status, String resolvedPath, String detail) {
        if (status == Status.FOUND) {
            throw new IllegalArgumentException("use found()");
        }
        return new Lookup(status, resolvedPath, null, detail);
    }

    public Status status() {
        return status;
    }

    public boolean isFound() {
        return status == Status.FOUND;
    }

    /** The absolute path inside the tree after following symlinks (or as far as resolution got). */
    public String resolvedPath() {
        return resolvedPath;
    }

    public Optional<FileAttributes> attributes() {
        return Optional.ofNullable(attributes);
    }

    /** A human-readable detail for failures. */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    @Override
    public String toString() {
        return status + " " + resolvedPath + (attributes == null ? "" : " " + attributes)
                + (detail == null ? "" : " (" + detail + ")");
    }
}
