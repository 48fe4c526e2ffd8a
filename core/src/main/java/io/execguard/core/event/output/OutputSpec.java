package io.execguard.core.event.output;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where events go, as users write it in {@code --output} (sidecar) and {@code output=} (agent):
 * {@code stdout}, {@code stderr} or {@code file:PATH} (PATH absolute; a size-rolled file). Immutable.
 * The logging set-up that realises it lives in each adapter (logback in the sidecar, the agent's own).
 */
public final class OutputSpec {
    /** The kind of destination. */
    public enum Kind {
        STDOUT, STDERR, FILE
    }

    private static final OutputSpec STDOUT = new OutputSpec(Kind.STDOUT, null);
    private static final OutputSpec STDERR = new OutputSpec(Kind.STDERR, null);

    private final Kind kind;
    private final Path file;

    private OutputSpec(Kind kind, Path file) {
        this.kind = kind;
        this.file = file;
    }

    public static OutputSpec stdout() {
        return STDOUT;
    }

    public static OutputSpec stderr() {
        return STDERR;
    }

    public static OutputSpec file(Path path) {
        return new OutputSpec(Kind.FILE, Objects.requireNonNull(path, "path"));
    }

    /**
     * Parses {@code stdout}, {@code stderr} or {@code file:PATH}.
     *
     * @throws IllegalArgumentException with a one-sentence message a user can act on
     */
    public static OutputSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("output is empty: use stdout, stderr or file:/absolute/path");
        }
        String t = text.trim();
        if (t.equals("stdout")) {
            return STDOUT;
        }
        if (t.equals("stderr")) {
            return STDERR;
        }
        if (t.startsWith("file:")) {
            String path = t.substring("file:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("output file: needs a path, e.g. file:/var/log/execguard.json");
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("output file path must be absolute: " + path);
            }
            if (path.endsWith("/")) {
                throw new IllegalArgumentException("output file path names a directory: " + path);
            }
            return file(Path.of(path));
        }
        throw new IllegalArgumentException("unknown output '" + t + "': use stdout, stderr or file:/absolute/path");
    }

    public Kind kind() {
        return kind;
    }

    /** The file, for {@link Kind#FILE}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputSpec && kind == ((OutputSpec) o).kind && Objects.equals(file, ((OutputSpec) o).file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, file);
    }

    /** The spec as it parses back: {@code stdout}, {@code stderr} or {@code file:PATH}. */
    @Override
    public String toString() {
        return kind == Kind.FILE ? "file:" + file : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
