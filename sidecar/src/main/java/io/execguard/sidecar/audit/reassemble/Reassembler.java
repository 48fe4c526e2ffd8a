package io.execguard.sidecar.audit.reassemble;

import io.execguard.sidecar.audit.parse.AuditRecord;
import io.execguard.sidecar.audit.parse.RecordType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Groups records into events by (time stamp, serial). An event is complete at its EOE record (or at once for
 * record types that never have one: user-space and anomaly messages); otherwise it is flushed, marked
 * incomplete, after {@code timeout} or when more than {@code maxInFlight} events are open. Serials that are
 * skipped and do not show up within {@code timeout} count as lost events, because the kernel numbers every
 * event it emits; records seen twice are ignored. Not thread-safe: one thread pushes and expires.
 */
public final class Reassembler {
    /** How long an event may wait for its end, and how long a skipped serial may arrive late. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(1000);
    /** How many events may be open at once before the oldest is flushed. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 2000;
    /** A jump backwards bigger than this is a new serial sequence (reboot, another log), not a late event. */
    private static final long RESET_DISTANCE = 1_000_000;
    /** Gaps wider than this are counted at once instead of waiting for each missing serial. */
    private static final int MAX_TRACKED_MISSING = 8192;
    /** A lower serial this much later than the highest one starts a new sequence (the machine rebooted). */
    private static final long RESET_AFTER_MILLIS = 1000;

    private final Consumer<AuditEvent> sink;
    private final long timeoutNanos;
    private final int maxInFlight;
    private final LinkedHashMap<Key, Pending> inFlight = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Long> missing = new LinkedHashMap<>();
    private Pending last;
    private final Predicate<AuditRecord> keepSyscall;
    private long highest = -1;
    private long highestMillis;
    /** The first serial of the current sequence, and when it came: older serials may still arrive for a moment. */
    private long start = -1;
    private long startNanos;
    /** Serials older than {@link #start} that arrived within the timeout after it (so their repeats are not new). */
    private final HashSet<Long> beforeStart = new HashSet<>();
    private long events;
    private long lost;
    private long incomplete;
    private long duplicates;
    private long evicted;

    public Reassembler(Consumer<AuditEvent> sink) {
        this(sink, DEFAULT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT);
    }

    public Reassembler(Consumer<AuditEvent> sink, Duration timeout, int maxInFlight) {
        this(sink, timeout, maxInFlight, r -> true);
    }

    /**
     * @param keepSyscall events whose SYSCALL record this rejects are dropped as their records arrive, without
     *     being stored or delivered (a reader interested only in failed execs skips the rest cheaply)
     */
    public Reassembler(Consumer<AuditEvent> sink, Duration timeout, int maxInFlight,
            Predicate<AuditRecord> keepSyscall) {
        this.keepSyscall = Objects.requireNonNull(keepSyscall, "keepSyscall");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.timeoutNanos = timeout.toNanos();
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.maxInFlight = maxInFlight;
    }

    /** Adds one record received at {@code nowNanos} (a {@link System#nanoTime()} value). */
    public void push(AuditRecord r, long nowNanos) {
        Pending p = last;
        if (p == null || !p.key.matches(r)) {
            Key key = new Key(r.seconds(), r.millis(), r.serial());
            p = inFlight.get(key);
            if (p == null) {
                if (!track(r.serial(), r.epochMillis(), nowNanos)) {
                    duplicates++;
                    return;
                }
                p = new Pending(key, nowNanos);
                inFlight.put(key, p);
                if (inFlight.size() > maxInFlight) {
                    evicted++;
                    emit(inFlight.values().iterator().next(), false);
                }
            }
            last = p;
        }
        if (r.type() == RecordType.EOE) {
            emit(p, true);
            return;
        }
        if (p.discard) {
            return;
        }
        if (r.type() == RecordType.SYSCALL && !keepSyscall.test(r)) {
            p.discard = true;
            p.records.clear();
            return;
        }
        if (p.contains(r)) {
            duplicates++;
            return;
        }
        p.records.add(r);
        if (isStandalone(r.type())) {
            emit(p, true);
        }
    }

    /** Flushes events older than the timeout and counts serials that stayed missing as lost. */
    public void expire(long nowNanos) {
        for (Iterator<Pending> it = inFlight.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (nowNanos - p.since < timeoutNanos) {
                break;
            }
            it.remove();
            deliver(p, false);
        }
        for (Iterator<Long> it = missing.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next() < timeoutNanos) {
                break;
            }
            it.remove();
            lost++;
        }
    }

    /** End of input: flushes every open event (incomplete ones marked so) and counts missing serials as lost. */
    public void flush() {
        for (Iterator<Pending> it = inFlight.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            it.remove();
            deliver(p, false);
        }
        last = null;
        lost += missing.size();
        missing.clear();
    }

    /**
     * Gives every record of the events still waiting for their end its own copy of its bytes (see
     * {@link AuditRecord#detached()}): a reader that parses a chunk of a log in place calls this when it is done with
     * the chunk, so that an event that never ends cannot keep the whole chunk in memory.
     */
    public void detachPending() {
        for (Pending p : inFlight.values()) {
            for (int i = 0, n = p.records.size(); i < n; i++) {
                p.records.set(i, p.records.get(i).detached());
            }
        }
    }

    /** Running totals since creation. */
    public ReassemblyStats stats() {
        return new ReassemblyStats(events, lost, incomplete, duplicates, evicted);
    }

    /** How many events are waiting for their end. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Notes a new event's serial; returns false when it is an event already seen (a duplicate). */
    private boolean track(long serial, long millis, long now) {
        if (highest < 0 || serial < highest - RESET_DISTANCE
                || serial < highest && millis > highestMillis + RESET_AFTER_MILLIS && !missing.containsKey(serial)) {
            highest = serial;
            highestMillis = millis;
            start = serial;
            startNanos = now;
            beforeStart.clear();
            return true;
        }
        if (serial < start) {
            // Records of several CPUs interleave: an event older than the first one seen can still come just
            // after it. Within the reorder window it is new once; later, or seen already, it is a repeat.
            return now - startNanos < timeoutNanos && beforeStart.size() < MAX_TRACKED_MISSING
                    && beforeStart.add(serial);
        }
        if (serial > highest) {
            long gap = serial - highest - 1;
            long from = highest + 1;
            if (gap > MAX_TRACKED_MISSING) {
                lost += gap - MAX_TRACKED_MISSING;
                from = serial - MAX_TRACKED_MISSING;
            }
            for (long s = from; s < serial; s++) {
                missing.put(s, now);
            }
            while (missing.size() > MAX_TRACKED_MISSING) {
                Iterator<Long> it = missing.keySet().iterator();
                it.next();
                it.remove();
                lost++;
            }
            highest = serial;
            highestMillis = Math.max(highestMillis, millis);
            return true;
        }
        return missing.remove(serial) != null; // a late event fills its gap; anything else was seen before
    }

    private void emit(Pending p, boolean complete) {
        inFlight.remove(p.key);
        deliver(p, complete);
    }

    private void deliver(Pending p, boolean complete) {
        if (last == p) {
            last = null;
        }
        if (p.discard || p.records.isEmpty()) {
            return; // a lone EOE whose records were flushed already or never came
        }
        events++;
        if (!complete) {
            incomplete++;
        }
        AuditRecord first = p.records.get(0);
        sink.accept(new AuditEvent(first.seconds(), first.millis(), first.serial(), p.records, complete));
    }

    private static boolean isStandalone(int type) {
        return type < 1300 || type >= 1700 && type < 1800 || type >= 2000;
    }

    private static final class Key {
        final long seconds;
        final int millis;
        final long serial;

        Key(long seconds, int millis, long serial) {
            this.seconds = seconds;
            this.millis = millis;
            this.serial = serial;
        }

        boolean matches(AuditRecord r) {
            return serial == r.serial() && seconds == r.seconds() && millis == r.millis();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).serial == serial && ((Key) o).seconds == seconds
                    && ((Key) o).millis == millis;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(serial * 31 + seconds) * 31 + millis;
        }
    }

    private static final class Pending {
        final Key key;
        final long since;
        final List<AuditRecord> records = new ArrayList<>(6);
        boolean discard;

        Pending(Key key, long since) {
            this.key = key;
            this.since = since;
        }

        boolean contains(AuditRecord r) {
            for (int i = 0, n = records.size(); i < n; i++) { // no iterator: called for every record
                if (records.get(i).sameAs(r)) {
                    return true;
                }
            }
            return false;
        }
    }
}
