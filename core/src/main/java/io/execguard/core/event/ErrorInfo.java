package io.execguard.core.event;

import java.util.Objects;
import java.util.Optional;

/** {@code error.*}: the errno name and the message the caller saw. Immutable. */
public final class ErrorInfo {
    private final String code;
    private final String message;

    /**
     * @param code errno name such as {@code ENOEXEC} ({@code error.code})
     * @param message what the caller saw, e.g. the JDK's {@code Cannot run program ...}; may be null
     */
    public ErrorInfo(String code, String message) {
        this.code = Objects.requireNonNull(code, "code");
        this.message = message;
    }

    public String code() {
        return code;
    }

    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorInfo && code.equals(((ErrorInfo) o).code)
                && Objects.equals(message, ((ErrorInfo) o).message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, message);
    }

    @Override
    public String toString() {
        return code + (message == null ? "" : ": " + message);
    }
}
