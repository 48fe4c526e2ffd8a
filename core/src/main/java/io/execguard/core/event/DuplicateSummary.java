package io.execguard.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code execguard.duplicates}: this event stands for {@link #count()} identical failures (same container, path and
 * cause) seen between {@link #firstSeen()} and {@link #lastSeen()}, of which only this one was written. Immutable.
 */
public final class DuplicateSummary {
    private final long count;
    private final Instant firstSeen;
    private final Instant lastSeen;

    /** @param count identical failures this event summarises, at least 1 */
    public DuplicateSummary(long count, Instant firstSeen, Instant lastSeen) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        this.count = count;
        this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
        this.lastSeen = Objects.requireNonNull(lastSeen, "lastSeen");
    }

    public long count() {
        return count;
    }

    public Instant firstSeen() {
        return firstSeen;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DuplicateSummary)) {
            return false;
        }
        DuplicateSummary d = (DuplicateSummary) o;
        return count == d.count && firstSeen.equals(d.firstSeen) && lastSeen.equals(d.lastSeen);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, firstSeen, lastSeen);
    }

    @Override
    public String toString() {
        return count + "x " + firstSeen + ".." + lastSeen;
    }
}
