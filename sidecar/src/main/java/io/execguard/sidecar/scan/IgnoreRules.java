package io.execguard.sidecar.scan;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * {@code --ignore} globs for known exceptions. A glob with a {@code /} matches the absolute path inside the
 * scanned tree ({@code *} stays within one directory, {@code **} crosses directories:
 * {@code /usr/lib/**}); a glob without one matches the file name anywhere ({@code *.so*}). Immutable.
 */
public final class IgnoreRules {
    private final List<String> globs;
    private final List<PathMatcher> pathMatchers = new ArrayList<>();
    private final List<PathMatcher> nameMatchers = new ArrayList<>();

    private IgnoreRules(List<String> globs) {
        this.globs = Collections.unmodifiableList(new ArrayList<>(globs));
        for (String g : globs) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + g);
            (g.contains("/") ? pathMatchers : nameMatchers).add(m);
        }
    }

    /**
     * Compiles the globs.
     *
     * @throws IllegalArgumentException with a user-readable message for a malformed glob
     */
    public static IgnoreRules of(List<String> globs) {
        try {
            return new IgnoreRules(globs == null ? Collections.emptyList() : globs);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid --ignore glob: " + e.getDescription() + " in '"
                    + e.getPattern() + "'");
        }
    }

    public static IgnoreRules none() {
        return new IgnoreRules(Collections.emptyList());
    }

    /** True when {@code path} (absolute inside the tree) is a known exception. */
    public boolean ignores(String path) {
        if (globs.isEmpty()) {
            return false;
        }
        Path p = Path.of(path);
        for (PathMatcher m : pathMatchers) {
            if (m.matches(p)) {
                return true;
            }
        }
        Path name = p.getFileName();
        for (PathMatcher m : nameMatchers) {
            if (name != null && m.matches(name)) {
                return true;
            }
        }
        return false;
    }

    public List<String> globs() {
        return globs;
    }
}
