package io.execguard.core.event;

/**
 * What kind of program attempted the exec ({@code execguard.caller.kind}): it says whether the caller re-runs
 * ENOEXEC files through {@code /bin/sh} (glibc JVMs and POSIX shells do, runc does not).
 */
public enum CallerKind {
    JVM("jvm"),
    SHELL("shell"),
    RUNC("runc"),
    OTHER("other");

    private final String value;

    CallerKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
