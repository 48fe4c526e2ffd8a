package io.execguard.sidecar.audit.reassemble;

/**
 * What the reassembler noticed about the stream's health, as running totals: {@code lostEvents} are serials that
 * never arrived (a gap in the sequence that was not filled before the reorder window closed),
 * {@code incompleteEvents} were flushed before their end-of-event record, {@code duplicateRecords} were
 * ignored because they were seen before.
 */
public record ReassemblyStats(long events, long lostEvents, long incompleteEvents, long duplicateRecords,
        long evictedForBound) {
}
