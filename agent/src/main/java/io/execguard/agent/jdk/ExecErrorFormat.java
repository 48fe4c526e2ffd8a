package io.execguard.agent.jdk;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message the JDK puts in the {@code IOException} that {@code ProcessImpl.start} throws when the child's exec
 * fails, in both formats: {@code error=8, Exec format error} up to JDK 24 and
 * {@code Exec failed, error: 8 (Exec format error) } (with the trailing space) from JDK 25 on. Parses either, and
 * writes the one of the running JDK, so that a refusal reads exactly like the kernel's own answer.
 */
public enum ExecErrorFormat {
    /** JDK 11 to 24. */
    LEGACY,
    /** JDK 25 and later. */
    EXEC_FAILED;


    /** The format of the JDK this code runs on. */
    public static ExecErrorFormat current() {
        return forFeatureVersion(Runtime.version().feature());
    }

    /** The format of JDK {@code feature} (11, 17, 21, 25...). */
    public static ExecErrorFormat forFeatureVersion(int feature) {
        return feature >= 25 ? EXEC_FAILED : LEGACY;
    }

    /** The message for errno {@code number} with the C library's text {@code strerror}. */
    public String format(int number, String strerror) {
        return this == LEGACY ? "error=" + number + ", " + strerror
                : "Exec failed, error: " + number + " (" + strerror + ") ";
    }

    /**
     * The errno in an exec failure message of either format, also when it is embedded in
     * {@code ProcessBuilder}'s {@code Cannot run program "x": ...}; empty for other I/O errors (a redirect file that
     * cannot be opened, for instance).
     */
    public static OptionalInt errnoOf(String message) {
        if (message == null) {
            return OptionalInt.empty();
        }
        Matcher m = Patterns.EXEC_FAILED.matcher(message);
        if (m.find()) {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        m = Patterns.LEGACY.matcher(message);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** Compiled on first parse only: the exec hook itself never needs them. */
    private static final class Patterns {
        static final Pattern LEGACY = Pattern.compile("error=(\\d+), ");
        static final Pattern EXEC_FAILED = Pattern.compile("Exec failed, error: (\\d+) \\(");
    }
}
