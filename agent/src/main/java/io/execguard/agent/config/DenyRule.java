package io.execguard.agent.config;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Objects;

/**
 * One enforce-mode policy: refuse the shell fallback after ENOEXEC, refuse execs of files in world-writable
 * directories, or refuse execs whose resolved path matches a glob. Immutable.
 */
public final class DenyRule {
    /** The kind of policy. */
    public enum Kind { SHELL_FALLBACK, WORLD_WRITABLE, PATH }

    private final Kind kind;
    private final String glob;
    private final PathMatcher matcher;

    private DenyRule(Kind kind, String glob) {
        this.kind = kind;
        this.glob = glob;
        this.matcher = glob == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    public static DenyRule shellFallback() {
        return new DenyRule(Kind.SHELL_FALLBACK, null);
    }

    public static DenyRule worldWritable() {
        return new DenyRule(Kind.WORLD_WRITABLE, null);
    }

    /**
     * Parses {@code shell-fallback}, {@code world-writable} or {@code path:GLOB} (GLOB as in
     * {@link java.nio.file.FileSystem#getPathMatcher}, matched against the absolute resolved path).
     */
    public static DenyRule parse(String text) throws InvalidOptionException {
        if ("shell-fallback".equals(text)) {
            return shellFallback();
        }
        if ("world-writable".equals(text)) {
            return worldWritable();
        }
        if (text.startsWith("path:") && text.length() > "path:".length()) {
            String glob = text.substring("path:".length());
            if (!glob.startsWith("/")) {
                throw new InvalidOptionException("invalid deny rule '" + text + "': the glob must be an absolute path");
            }
            try {
                return new DenyRule(Kind.PATH, glob);
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("invalid deny rule '" + text + "': " + e.getMessage());
            }
        }
        throw new InvalidOptionException("invalid deny rule '" + text
                + "': expected shell-fallback, world-writable or path:GLOB");
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#PATH}: whether the absolute, resolved executable path matches the glob. */
    public boolean matchesPath(Path resolved) {
        return matcher != null && matcher.matches(resolved);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenyRule && kind == ((DenyRule) o).kind && Objects.equals(glob, ((DenyRule) o).glob);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, glob);
    }

    /** The rule in option syntax. */
    @Override
    public String toString() {
        switch (kind) {
            case SHELL_FALLBACK:
                return "shell-fallback";
            case WORLD_WRITABLE:
                return "world-writable";
            default:
                return "path:" + glob;
        }
    }
}
