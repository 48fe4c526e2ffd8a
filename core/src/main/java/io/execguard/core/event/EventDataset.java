package io.execguard.core.event;

/** Which component saw the exec ({@code event.dataset}). */
public enum EventDataset {
    /** The Java agent inside the JVM that attempted the exec. */
    AGENT("execguard.agent"),
    /** The sidecar, from the kernel's audit stream or an audit log. */
    SIDECAR("execguard.sidecar");

    private final String value;

    EventDataset(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
