package io.execguard.core.event;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code execguard.source}: where the event came from - the agent's Java call site, or the audit record that
 * reported the failure. Immutable.
 */
public final class EventSource {
    /** The Java agent inside the JVM. */
    public static final String AGENT = "agent";
    /** The kernel's audit netlink multicast stream. */
    public static final String AUDIT_NETLINK = "audit-netlink";
    /** An audit log file written by auditd. */
    public static final String AUDIT_LOG = "audit-log";

    private final String type;
    private final List<String> callSite;
    private final String auditEventId;

    private EventSource(String type, List<String> callSite, String auditEventId) {
        this.type = Objects.requireNonNull(type, "type");
        this.callSite = List.copyOf(callSite);
        this.auditEventId = auditEventId;
    }

    /**
     * The agent, with the first stack frames outside the JDK and process-launching libraries, innermost first,
     * each as {@link StackTraceElement#toString()} prints it.
     */
    public static EventSource agent(List<String> callSite) {
        return new EventSource(AGENT, callSite, null);
    }

    /**
     * An audit source ({@link #AUDIT_NETLINK} or {@link #AUDIT_LOG}) with the audit event id
     * {@code <seconds>.<millis>:<serial>} as in {@code msg=audit(...)}.
     */
    public static EventSource audit(String type, String auditEventId) {
        return new EventSource(type, List.of(), Objects.requireNonNull(auditEventId, "auditEventId"));
    }

    /** {@code agent}, {@code audit-netlink} or {@code audit-log}. */
    public String type() {
        return type;
    }

    /** Java call site frames, innermost first; empty for audit sources. */
    public List<String> callSite() {
        return callSite;
    }

    /** The audit event id, for audit sources. */
    public Optional<String> auditEventId() {
        return Optional.ofNullable(auditEventId);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventSource)) {
            return false;
        }
        EventSource s = (EventSource) o;
        return type.equals(s.type) && callSite.equals(s.callSite) && Objects.equals(auditEventId, s.auditEventId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, callSite, auditEventId);
    }

    @Override
    public String toString() {
        return type + (auditEventId == null ? "" : " " + auditEventId) + (callSite.isEmpty() ? "" : " " + callSite);
    }
}
