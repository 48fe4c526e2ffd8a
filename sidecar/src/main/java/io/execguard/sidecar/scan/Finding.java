package io.execguard.sidecar.scan;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.fs.FileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing scan reports: a file (or the image itself) that would not run, or would run only through emulation,
 * on one target platform, with the engine's diagnosis. Immutable.
 */
public final class Finding {
    /** What the finding is about. */
    public enum Kind {
        /** The image as a whole (declared platform, missing manifest for a target). */
        IMAGE,
        /** A link of the ENTRYPOINT/CMD chain: decides whether the container starts. */
        ENTRYPOINT,
        /** Any other executable file. */
        EXECUTABLE
    }

    private final String subject;
    private final Kind kind;
    private final String path;
    private final Diagnosis diagnosis;
    private final Severity severity;
    private final String role;
    private final int chainPosition;
    private final FileAttributes attributes;
    private final String imageLibc;

    private Finding(Builder b) {
        this.subject = Objects.requireNonNull(b.subject, "subject");
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.path = Objects.requireNonNull(b.path, "path");
        this.diagnosis = Objects.requireNonNull(b.diagnosis, "diagnosis");
        this.severity = Objects.requireNonNull(b.severity, "severity");
        this.role = b.role;
        this.chainPosition = b.chainPosition;
        this.attributes = b.attributes;
        this.imageLibc = b.imageLibc;
    }

    static Builder builder(String subject, Kind kind, String path, Diagnosis diagnosis, Severity severity) {
        return new Builder(subject, kind, path, diagnosis, severity);
    }

    /** The directory or image (with its name) this finding belongs to. */
    public String subject() {
        return subject;
    }

    public Kind kind() {
        return kind;
    }

    /** The path inside the tree (absolute, e.g. {@code /usr/bin/tool}), or the image name for image findings. */
    public String path() {
        return path;
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }

    public Severity severity() {
        return severity;
    }

    /** For entrypoint links: how the chain reaches this file, e.g. {@code interpreter of /entrypoint.sh}. */
    public Optional<String> role() {
        return Optional.ofNullable(role);
    }

    /** For entrypoint links: 0 for the program the runtime executes, then increasing along the chain. */
    public int chainPosition() {
        return chainPosition;
    }

    /** The file's attributes in the tree, when it exists. */
    public Optional<FileAttributes> attributes() {
        return Optional.ofNullable(attributes);
    }

    /** For image files: the C library the image provides ({@code glibc}, {@code musl}, ...). */
    public Optional<String> imageLibc() {
        return Optional.ofNullable(imageLibc);
    }

    @Override
    public String toString() {
        return severity.label() + " " + kind + " " + path + " " + diagnosis.cause() + " [" + diagnosis.platform() + "]";
    }

    /** Builds a {@link Finding}. */
    static final class Builder {
        private final String subject;
        private final Kind kind;
        private final String path;
        private final Diagnosis diagnosis;
        private final Severity severity;
        private String role;
        private int chainPosition;
        private FileAttributes attributes;
        private String imageLibc;

        private Builder(String subject, Kind kind, String path, Diagnosis diagnosis, Severity severity) {
            this.subject = subject;
            this.kind = kind;
            this.path = path;
            this.diagnosis = diagnosis;
            this.severity = severity;
        }

        Builder role(String role, int chainPosition) {
            this.role = role;
            this.chainPosition = chainPosition;
            return this;
        }

        Builder attributes(FileAttributes attributes) {
            this.attributes = attributes;
            return this;
        }

        Builder imageLibc(String imageLibc) {
            this.imageLibc = imageLibc;
            return this;
        }

        Finding build() {
            return new Finding(this);
        }
    }
}
