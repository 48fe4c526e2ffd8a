package io.execguard.agent.hook;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Commands whose whole exec check recently found nothing to report on a settled file, trusted for the recheck
 * interval ({@code recheck} option) without looking at their file again: the success path of every exec.
 *
 * <p>Inside a spawn loop every fork and exec leaves the CPU's caches and TLB cold, so what the success path costs is
 * mostly how many objects it touches. This object is created with the {@link ExecInterceptor}, before anything
 * else, and remembers the command it trusted or confirmed last: an application that starts the same command again
 * touches the interceptor, this object, one entry and its own strings, then reads the clock. The map behind it
 * serves applications that alternate between commands.
 *
 * <p>A command is keyed by its name and, when one is given, the {@code ProcessBuilder} directory (a relative name
 * means another file in another directory). Keys are strings, so a lookup runs no code of the application and needs
 * no re-entry guard. Thread-safe; bounded (cleared when full: one full check per exec at worst).
 */
final class TrustedCommands {
    private static final int MAX_ENTRIES = 4096;

    private final long recheckNanos;
    /** The monotonic clock trust is timed by; null: {@link System#nanoTime()}, read directly. */
    private final LongSupplier ticker;
    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();
    private volatile Entry last;

    /** {@code ticker}: a monotonic clock in nanoseconds, or null for the JVM's. */
    TrustedCommands(Duration recheck, LongSupplier ticker) {
        this.recheckNanos = recheck.toNanos();
        this.ticker = ticker;
    }

    /** The clock reading to pass to {@link #trust} for a check that starts now. */
    long now() {
        return ticker == null ? System.nanoTime() : ticker.getAsLong();
    }

    /** True when {@code cmdarray[0]} (in {@code dir}) passed its check less than the recheck interval ago. */
    boolean trusted(String[] cmdarray, String dir) {
        if (recheckNanos == 0 || cmdarray.length == 0 || cmdarray[0] == null) {
            return false;
        }
        Entry e = last;
        if (e == null || !e.is(cmdarray[0], dir)) {
            e = entries.get(key(cmdarray[0], dir));
            if (e == null) {
                return false;
            }
            last = e;
        }
        return !e.revoked && now() - e.until < 0;
    }

    /** Trusts {@code command} in {@code dir} for the recheck interval from {@code checkedAt} (see {@link #now}). */
    void trust(String command, String dir, long checkedAt) {
        if (recheckNanos == 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Entry e = new Entry(command, dir, checkedAt + recheckNanos);
        entries.put(key(command, dir), e);
        last = e;
    }

    /**
     * Ends the trust in {@code command} in {@code dir} at once, also for a thread that has just read its entry: a
     * failed exec, or a check that is due.
     */
    void revoke(String command, String dir) {
        if (recheckNanos == 0 || command == null) {
            return;
        }
        Entry e = entries.remove(key(command, dir));
        if (e != null) {
            e.revoked = true;
        }
        e = last;
        if (e != null && e.is(command, dir)) {
            e.revoked = true;
        }
    }

    /** Number of trusted commands, due or not (for tests). */
    int size() {
        return entries.size();
    }

    private static Object key(String command, String dir) {
        return dir == null ? command : new CommandInDirectory(command, dir);
    }

    /** A trusted command: its name, its directory (null: the JVM's), and the clock reading its trust ends at. */
    private static final class Entry {
        final String command;
        final String dir;
        final long until;
        volatile boolean revoked;

        Entry(String command, String dir, long until) {
            this.command = command;
            this.dir = dir;
            this.until = until;
        }

        /** Identity first: an application usually starts the same string constant again. */
        boolean is(String otherCommand, String otherDir) {
            return (command == otherCommand || command.equals(otherCommand))
                    && (dir == otherDir || dir != null && dir.equals(otherDir));
        }
    }

    /** The map key of a command started in an explicit directory. */
    private static final class CommandInDirectory {
        private final String command;
        private final String dir;

        CommandInDirectory(String command, String dir) {
            this.command = command;
            this.dir = dir;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof CommandInDirectory)) {
                return false;
            }
            CommandInDirectory other = (CommandInDirectory) o;
            return command.equals(other.command) && dir.equals(other.dir);
        }

        @Override
        public int hashCode() {
            return 31 * command.hashCode() + dir.hashCode();
        }
    }
}
