package io.execguard.sidecar.watch;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Turns a flood of identical failures (a crash-looping container fails the same way every few seconds) into one
 * event plus periodic summaries: the first failure of a key is emitted at once, repeats within the window are
 * counted, and when the window closes the count is handed to the summary callback together with the last repeat.
 * Nothing is dropped silently: open counts are summarised on {@link #flush()} and when the key table is full.
 * Not thread-safe.
 *
 * @param <T> what is remembered of a failure
 */
public final class FloodGuard<T> {
    /** Receives the summary of suppressed repeats. */
    public interface Summary<T> {
        void repeated(T last, long count, long firstMillis, long lastMillis);
    }

    private final long windowMillis;
    private final int maxKeys;
    private final Summary<T> summary;
    private final LinkedHashMap<Object, Entry<T>> entries = new LinkedHashMap<>();
    private long suppressed;

    public FloodGuard(Duration window, int maxKeys, Summary<T> summary) {
        this.windowMillis = window.toMillis();
        this.maxKeys = maxKeys;
        this.summary = Objects.requireNonNull(summary, "summary");
    }

    /**
     * Returns true when this failure should be emitted now, false when it was counted as a repeat. With a zero
     * window every failure is emitted.
     */
    public boolean admit(Object key, T value, long nowMillis) {
        if (windowMillis <= 0) {
            return true;
        }
        Entry<T> e = entries.get(key);
        if (e != null && nowMillis - e.windowStart < windowMillis) {
            e.count++;
            e.last = value;
            e.lastMillis = nowMillis;
            if (e.count == 1) {
                e.firstMillis = nowMillis;
            }
            suppressed++;
            return false;
        }
        if (e != null) {
            close(e);
            entries.remove(key);
        }
        entries.put(key, new Entry<>(nowMillis));
        if (entries.size() > maxKeys) {
            Iterator<Entry<T>> it = entries.values().iterator();
            close(it.next());
            it.remove();
        }
        return true;
    }

    /** Summarises windows that have closed; forgets keys whose window closed without repeats. */
    public void expire(long nowMillis) {
        for (Iterator<Entry<T>> it = entries.values().iterator(); it.hasNext(); ) {
            Entry<T> e = it.next();
            if (nowMillis - e.windowStart < windowMillis) {
                continue;
            }
            if (e.count > 0) {
                close(e);
                e.windowStart = nowMillis;
                e.count = 0;
                e.last = null;
            } else {
                it.remove();
            }
        }
    }

    /** Summarises every open count (on shutdown). */
    public void flush() {
        for (Entry<T> e : entries.values()) {
            close(e);
        }
        entries.clear();
    }

    /** Repeats counted instead of emitted so far. */
    public long suppressed() {
        return suppressed;
    }

    private void close(Entry<T> e) {
        if (e.count > 0) {
            summary.repeated(e.last, e.count, e.firstMillis, e.lastMillis);
        }
    }

    private static final class Entry<T> {
        long windowStart;
        long count;
        long firstMillis;
        long lastMillis;
        T last;

        Entry(long windowStart) {
            this.windowStart = windowStart;
        }
    }
}
