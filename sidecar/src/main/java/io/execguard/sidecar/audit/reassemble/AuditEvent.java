package io.execguard.sidecar.audit.reassemble;

import io.execguard.sidecar.audit.parse.AuditRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * All records of one audit event (same time stamp and serial), in arrival order. {@link #complete()} says whether
 * the kernel's end-of-event record was seen or the event was flushed by timeout, bound or end of input. Immutable.
 */
public final class AuditEvent {
    private final long seconds;
    private final int millis;
    private final long serial;
    private final List<AuditRecord> records;
    private final boolean complete;

    AuditEvent(long seconds, int millis, long serial, List<AuditRecord> records, boolean complete) {
        this.seconds = seconds;
        this.millis = millis;
        this.serial = serial;
        this.records = Collections.unmodifiableList(new ArrayList<>(records));
        this.complete = complete;
    }

    /** Builds an event from records by hand; for tests and for sources that already group records. */
    public static AuditEvent of(List<AuditRecord> records) {
        AuditRecord first = records.get(0);
        return new AuditEvent(first.seconds(), first.millis(), first.serial(), records, true);
    }

    public long seconds() {
        return seconds;
    }

    public int millis() {
        return millis;
    }

    /** The event time in milliseconds since the epoch. */
    public long epochMillis() {
        return seconds * 1000L + millis;
    }

    public long serial() {
        return serial;
    }

    public List<AuditRecord> records() {
        return records;
    }

    /** True when the end-of-event record arrived (or the event type has none); false when flushed early. */
    public boolean complete() {
        return complete;
    }

    /** The first record of a type. */
    public Optional<AuditRecord> first(int type) {
        for (AuditRecord r : records) {
            if (r.type() == type) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** All records of a type, in order. */
    public List<AuditRecord> all(int type) {
        List<AuditRecord> out = new ArrayList<>(2);
        for (AuditRecord r : records) {
            if (r.type() == type) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "audit(" + seconds + "." + millis + ":" + serial + ") " + records.size() + " records";
    }
}
