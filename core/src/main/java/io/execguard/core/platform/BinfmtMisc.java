package io.execguard.core.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The binfmt_misc registrations of this kernel, read from {@code /proc/sys/fs/binfmt_misc}. When the file system is
 * not mounted there, or its status is {@code disabled}, no registration applies. Immutable snapshot.
 *
 * <p>The kernel tries entries newest first; the directory listing does not reveal registration order, so when two
 * entries match the same file this snapshot may name the other one. Real handlers (qemu-*, wine, jar) do not overlap.
 */
public final class BinfmtMisc {
    /** Where binfmt_misc is mounted on a standard system. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/proc/sys/fs/binfmt_misc");

    private static final BinfmtMisc NONE = new BinfmtMisc(false, Collections.emptyList());

    private final boolean enabled;
    private final List<BinfmtEntry> entries;

    private BinfmtMisc(boolean enabled, List<BinfmtEntry> entries) {
        this.enabled = enabled;
        this.entries = entries;
    }

    /** No binfmt_misc at all (not mounted, or not a live host). */
    public static BinfmtMisc none() {
        return NONE;
    }

    /** A snapshot from explicit entries (tests, or facts gathered elsewhere). */
    public static BinfmtMisc of(boolean enabled, List<BinfmtEntry> entries) {
        return new BinfmtMisc(enabled, Collections.unmodifiableList(new ArrayList<>(entries)));
    }

    /** Reads the registrations under {@code directory}; a missing or unreadable directory means none. */
    public static BinfmtMisc read(Path directory) {
        Path status = directory.resolve("status");
        if (!Files.isRegularFile(status)) {
            return NONE;
        }
        try {
            boolean enabled = Files.readString(status, StandardCharsets.US_ASCII).trim().equals("enabled");
            List<BinfmtEntry> entries = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory)) {
                for (Path p : dir) {
                    String name = p.getFileName().toString();
                    if (name.equals("status") || name.equals("register")) {
                        continue;
                    }
                    readEntry(p, name).ifPresent(entries::add);
                }
            }
            entries.sort((a, b) -> a.name().compareTo(b.name()));
            return of(enabled, entries);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    private static Optional<BinfmtEntry> readEntry(Path p, String name) {
        try {
            return BinfmtEntry.parse(name, Files.readString(p, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // An entry removed while we list the directory simply does not apply.
            return Optional.empty();
        }
    }

    /** True when binfmt_misc is mounted and globally enabled. */
    public boolean enabled() {
        return enabled;
    }

    public List<BinfmtEntry> entries() {
        return entries;
    }

    /** The entry the kernel would hand the file to, if any. */
    public Optional<BinfmtEntry> match(byte[] kernelBuffer, String execPath) {
        if (!enabled) {
            return Optional.empty();
        }
        for (BinfmtEntry e : entries) {
            if (e.matches(kernelBuffer, execPath)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "BinfmtMisc[" + (enabled ? "enabled" : "disabled") + ", " + entries + "]";
    }
}
