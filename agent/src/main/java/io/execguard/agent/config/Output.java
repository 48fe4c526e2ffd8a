package io.execguard.agent.config;

import java.util.Objects;
import java.util.Optional;

/** Where events go: the JVM's stderr (default), its stdout, or a file the agent appends to. Immutable. */
public final class Output {
    /** The kind of destination. */
    public enum Kind { STDERR, STDOUT, FILE }

    private static final Output STDERR = new Output(Kind.STDERR, null);
    private static final Output STDOUT = new Output(Kind.STDOUT, null);

    private final Kind kind;
    private final String file;

    private Output(Kind kind, String file) {
        this.kind = kind;
        this.file = file;
    }

    public static Output stderr() {
        return STDERR;
    }

    /**
     * Parses {@code stderr}, {@code stdout} or {@code file:PATH}.
     *
     * @throws InvalidOptionException for anything else
     */
    public static Output parse(String text) throws InvalidOptionException {
        if ("stderr".equals(text)) {
            return STDERR;
        }
        if ("stdout".equals(text)) {
            return STDOUT;
        }
        if (text.startsWith("file:") && text.length() > "file:".length()) {
            return new Output(Kind.FILE, text.substring("file:".length()));
        }
        throw new InvalidOptionException("invalid output '" + text + "': expected stderr, stdout or file:PATH");
    }

    public Kind kind() {
        return kind;
    }

    /** The file to append to, for {@link Kind#FILE}. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Output && kind == ((Output) o).kind && Objects.equals(file, ((Output) o).file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, file);
    }

    @Override
    public String toString() {
        return kind == Kind.FILE ? "file:" + file : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
