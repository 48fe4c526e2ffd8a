package io.execguard.core.diagnose;

import io.execguard.core.platform.MountTable;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Recently read mount tables, so that diagnosing thousands of files does not re-read mountinfo for each. A table is
 * read again when it is older than {@link #MAX_AGE_NANOS}, or when a file's device is on none of its mounts (a mount
 * appeared) and the table is older than {@link #MIN_AGE_NANOS}. A remount that only flips {@code noexec} is therefore
 * seen within a second. Thread-safe.
 */
final class MountTables {
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MIN_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final class Snapshot {
        final MountTable table;
        final long readAt;

        Snapshot(MountTable table, long readAt) {
            this.table = table;
            this.readAt = readAt;
        }
    }

    private final ConcurrentHashMap<String, Snapshot> tables = new ConcurrentHashMap<>();

    MountTable forDevice(String mountInfoPath, long device) {
        long now = System.nanoTime();
        Snapshot s = tables.get(mountInfoPath);
        if (s == null || now - s.readAt > MAX_AGE_NANOS
                || (device != 0 && now - s.readAt > MIN_AGE_NANOS && !s.table.hasDevice(device))) {
            s = new Snapshot(MountTable.read(Path.of(mountInfoPath)), now);
            tables.put(mountInfoPath, s);
        }
        return s.table;
    }
}
