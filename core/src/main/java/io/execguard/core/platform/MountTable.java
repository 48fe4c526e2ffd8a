package io.execguard.core.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * A mount table in {@code /proc/PID/mountinfo} format, used to find the mount a file lives on (for {@code noexec}).
 * Immutable snapshot.
 */
public final class MountTable {
    private static final MountTable EMPTY = new MountTable(Collections.emptyList());

    private final List<MountEntry> entries;
    /** Mounts by device number ({@code major << 32 | minor}), the usual way to find a file's mount in one step. */
    private final Map<Long, List<MountEntry>> byDevice = new HashMap<>();

    private MountTable(List<MountEntry> entries) {
        this.entries = entries;
        for (MountEntry e : entries) {
            byDevice.computeIfAbsent(e.major() << 32 | e.minor(), k -> new ArrayList<>()).add(e);
        }
    }

    public static MountTable empty() {
        return EMPTY;
    }

    /** Reads and parses a mountinfo file; an unreadable file gives an empty table. */
    public static MountTable read(Path mountinfo) {
        try {
            return parse(new String(Files.readAllBytes(mountinfo), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return EMPTY;
        }
    }

    /** Parses mountinfo text; malformed lines are skipped. */
    public static MountTable parse(String text) {
        List<MountEntry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            parseLine(line).ifPresent(entries::add);
        }
        return new MountTable(Collections.unmodifiableList(entries));
    }

    private static Optional<MountEntry> parseLine(String line) {
        String[] f = line.trim().split(" ");
        int dash = Arrays.asList(f).indexOf("-");
        if (f.length < 7 || dash < 6 || dash + 3 > f.length) {
            return Optional.empty();
        }
        try {
            String[] dev = f[2].split(":");
            return Optional.of(new MountEntry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(dev[0]),
                    Long.parseLong(dev[1]), unescape(f[3]), unescape(f[4]), Arrays.asList(f[5].split(",")),
                    f[dash + 1], unescape(f[dash + 2]), dash + 3 < f.length ? f[dash + 3] : ""));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Decodes the kernel's {@code \ooo} octal escapes (space, tab, newline, backslash). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    public List<MountEntry> entries() {
        return entries;
    }

    /**
     * The mount {@code path} lives on: the longest mount point covering it, the last listed (topmost) among equals.
     * When {@code device} ({@code st_dev}, kernel encoding; 0 if unknown) matches some covering mount, only those
     * are considered, which skips mounts hidden under a later one.
     */
    public Optional<MountEntry> find(String path, long device) {
        long major = ((device >>> 32) & 0xfffff000L) | ((device >>> 8) & 0xfffL);
        long minor = ((device >>> 12) & 0xffffff00L) | (device & 0xffL);
        List<MountEntry> sameDevice = device == 0 ? null : byDevice.get(major << 32 | minor);
        // st_dev names the file system the file is on; mounted exactly once, that mount is the answer.
        if (sameDevice != null && sameDevice.size() == 1 && sameDevice.get(0).covers(path)) {
            return Optional.of(sameDevice.get(0));
        }
        MountEntry best = null;
        MountEntry bestDevice = null;
        for (MountEntry e : entries) {
            if (!e.covers(path)) {
                continue;
            }
            if (best == null || e.mountPoint().length() >= best.mountPoint().length()) {
                best = e;
            }
            if (device != 0 && e.major() == major && e.minor() == minor
                    && (bestDevice == null || e.mountPoint().length() >= bestDevice.mountPoint().length())) {
                bestDevice = e;
            }
        }
        return Optional.ofNullable(bestDevice != null ? bestDevice : best);
    }

    /** True when some mount's device number is {@code device} (kernel encoding). */
    public boolean hasDevice(long device) {
        long major = ((device >>> 32) & 0xfffff000L) | ((device >>> 8) & 0xfffL);
        long minor = ((device >>> 12) & 0xffffff00L) | (device & 0xffL);
        return byDevice.containsKey(major << 32 | minor);
    }
}
