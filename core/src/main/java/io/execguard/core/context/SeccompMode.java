package io.execguard.core.context;

import java.util.Optional;

/** The {@code Seccomp:} line of {@code /proc/PID/status}: 0 disabled, 1 strict, 2 filter. */
public enum SeccompMode {
    DISABLED("disabled"),
    STRICT("strict"),
    FILTER("filter");

    private final String value;

    SeccompMode(String value) {
        this.value = value;
    }

    /** The JSON value ({@code execguard.security.seccomp}). */
    public String value() {
        return value;
    }

    /** The mode for the kernel's number, empty for numbers this version does not know. */
    public static Optional<SeccompMode> ofNumber(int number) {
        switch (number) {
            case 0:
                return Optional.of(DISABLED);
            case 1:
                return Optional.of(STRICT);
            case 2:
                return Optional.of(FILTER);
            default:
                return Optional.empty();
        }
    }
}
