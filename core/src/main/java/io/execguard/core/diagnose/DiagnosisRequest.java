package io.execguard.core.diagnose;

import io.execguard.core.fs.FileTree;
import io.execguard.core.platform.Credentials;
import io.execguard.core.platform.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * What to diagnose: a path as the caller gave it, the working directory it is relative to, the file tree it lives
 * in, the platform it must run on, and the PATH that {@code #!/usr/bin/env X} searches. Immutable.
 */
public final class DiagnosisRequest {
    /** The PATH a POSIX shell uses when the environment has none. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final String path;
    private final String cwd;
    private final FileTree tree;
    private final Platform platform;
    private final String searchPath;
    private final Credentials credentials;

    private DiagnosisRequest(Builder b) {
        this.path = Objects.requireNonNull(b.path, "path");
        this.cwd = b.cwd;
        this.tree = b.tree;
        this.platform = b.platform;
        this.searchPath = b.searchPath;
        this.credentials = b.credentials;
    }

    /** A request for {@code path}; everything else defaults (cwd {@code /}, the engine's host tree and platform). */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    public String path() {
        return path;
    }

    /** The directory relative paths resolve against, inside the tree; {@code /} by default. */
    public String cwd() {
        return cwd;
    }

    /** The tree to look in; empty means the engine's default (the host's {@code /}). */
    public Optional<FileTree> tree() {
        return Optional.ofNullable(tree);
    }

    /** The platform to judge against; empty means the host's. */
    public Optional<Platform> platform() {
        return Optional.ofNullable(platform);
    }

    /** The PATH that {@code #!/usr/bin/env NAME} searches. */
    public String searchPath() {
        return searchPath;
    }

    /**
     * Who runs the file (uid, groups, CAP_DAC_OVERRIDE), for the permission check; empty means the engine's own
     * credentials on the live host tree, and "any execute bit suffices" elsewhere.
     */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** Builds a {@link DiagnosisRequest}. */
    public static final class Builder {
        private final String path;
        private String cwd = "/";
        private FileTree tree;
        private Platform platform;
        private String searchPath = DEFAULT_PATH;
        private Credentials credentials;

        private Builder(String path) {
            this.path = path;
        }

        public Builder cwd(String cwd) {
            this.cwd = Objects.requireNonNull(cwd, "cwd");
            return this;
        }

        public Builder tree(FileTree tree) {
            this.tree = tree;
            return this;
        }

        public Builder platform(Platform platform) {
            this.platform = platform;
            return this;
        }

        public Builder searchPath(String searchPath) {
            this.searchPath = searchPath == null ? DEFAULT_PATH : searchPath;
            return this;
        }

        /** The credentials of the process that runs the file (e.g. from a failed execve's audit record). */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public DiagnosisRequest build() {
            return new DiagnosisRequest(this);
        }
    }
}
