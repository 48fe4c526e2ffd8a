package io.execguard.core.event;

/** What happened to an exec ({@code event.action}); decides {@code event.kind}. */
public enum EventAction {
    /** The exec returned an error to the caller. */
    EXEC_FAILED("exec-failed", "event"),
    /** The exec failed with ENOEXEC and the caller re-ran the file through {@code /bin/sh}. */
    EXEC_SHELL_FALLBACK("exec-shell-fallback", "event"),
    /** execguard refused the exec (agent enforce mode). */
    EXEC_BLOCKED("exec-blocked", "alert");

    private final String value;
    private final String kind;

    EventAction(String value, String kind) {
        this.value = value;
        this.kind = kind;
    }

    /** The {@code event.action} value. */
    public String value() {
        return value;
    }

    /** The {@code event.kind} value: {@code alert} for blocked execs, {@code event} otherwise. */
    public String kind() {
        return kind;
    }
}
