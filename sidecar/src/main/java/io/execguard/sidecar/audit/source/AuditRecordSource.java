package io.execguard.sidecar.audit.source;

import io.execguard.sidecar.audit.parse.AuditRecord;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/** Where watch's records come from: the kernel's multicast stream or an audit log being written by auditd. */
public interface AuditRecordSource extends Closeable {
    /**
     * Waits up to {@code timeout} for records and hands each parsed record to {@code sink}; lines or datagrams
     * that are not records go to {@code malformed}.
     */
    void poll(Duration timeout, Consumer<AuditRecord> sink, Runnable malformed) throws IOException;

    /** The event source type for events ({@code audit-netlink} or {@code audit-log}). */
    String type();

    /** Times the kernel reported that this reader's socket overflowed (ENOBUFS); 0 for sources without one. */
    default long socketOverflows() {
        return 0;
    }

    /** Records the kernel discarded because this reader's socket buffer was full; 0 for sources without one. */
    default long socketDroppedRecords() {
        return 0;
    }

    /** Rotations of a log after which lines may be missing (they could not be found in any rotated file). */
    default long rotationLosses() {
        return 0;
    }

    /** A short description for messages. */
    String describe();
}
