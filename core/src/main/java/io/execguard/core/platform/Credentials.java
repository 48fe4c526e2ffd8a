package io.execguard.core.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Who execve's permission check applies to: file-system uid and gids, and whether {@code CAP_DAC_OVERRIDE} lets the
 * process ignore permission bits (then a file still needs one execute bit). Read from {@code /proc/self/status}.
 * Immutable.
 */
public final class Credentials {
    private static final int CAP_DAC_OVERRIDE = 1;

    private final int uid;
    private final int[] gids;
    private final boolean dacOverride;

    private Credentials(int uid, int[] gids, boolean dacOverride) {
        this.uid = uid;
        this.gids = gids;
        this.dacOverride = dacOverride;
    }

    /** Explicit credentials (tests); {@code gids} holds the primary and supplementary groups. */
    public static Credentials of(int uid, int[] gids, boolean dacOverride) {
        return new Credentials(uid, gids.clone(), dacOverride);
    }

    /** Root with all capabilities: any execute bit suffices. Used when the caller's credentials are unknown. */
    public static Credentials privileged() {
        return new Credentials(0, new int[] {0}, true);
    }

    /** The credentials of this JVM. */
    public static Credentials current() {
        try {
            String status = new String(Files.readAllBytes(Path.of("/proc/self/status")), StandardCharsets.US_ASCII);
            return parseStatus(status);
        } catch (IOException | RuntimeException e) {
            return privileged();
        }
    }

    /** Parses the Uid, Gid, Groups and CapEff lines of a {@code /proc/PID/status} file. */
    public static Credentials parseStatus(String status) {
        int uid = 0;
        int gid = 0;
        int[] groups = new int[0];
        long capEff = -1;
        for (String line : status.split("\n")) {
            String[] f = line.split("\\s+");
            if (line.startsWith("Uid:") && f.length >= 5) {
                uid = Integer.parseInt(f[4]);
            } else if (line.startsWith("Gid:") && f.length >= 5) {
                gid = Integer.parseInt(f[4]);
            } else if (line.startsWith("Groups:")) {
                groups = Arrays.stream(f).skip(1).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            } else if (line.startsWith("CapEff:") && f.length >= 2) {
                capEff = Long.parseUnsignedLong(f[1], 16);
            }
        }
        int[] gids = new int[groups.length + 1];
        gids[0] = gid;
        System.arraycopy(groups, 0, gids, 1, groups.length);
        boolean override = capEff < 0 ? uid == 0 : (capEff & (1L << CAP_DAC_OVERRIDE)) != 0;
        return new Credentials(uid, gids, override);
    }

    public int uid() {
        return uid;
    }

    public boolean dacOverride() {
        return dacOverride;
    }

    /**
     * Whether execve's permission check passes for a file with {@code mode}, owner {@code fileUid} and group
     * {@code fileGid} (the kernel's generic_permission for MAY_EXEC on a regular file).
     */
    public boolean mayExecute(int mode, int fileUid, int fileGid) {
        if (dacOverride) {
            return (mode & 0111) != 0;
        }
        if (fileUid == uid) {
            return (mode & 0100) != 0;
        }
        for (int g : gids) {
            if (g == fileGid) {
                return (mode & 0010) != 0;
            }
        }
        return (mode & 0001) != 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Credentials)) {
            return false;
        }
        Credentials c = (Credentials) o;
        return uid == c.uid && dacOverride == c.dacOverride && Arrays.equals(gids, c.gids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * uid + Arrays.hashCode(gids)) + (dacOverride ? 1 : 0);
    }

    @Override
    public String toString() {
        return "uid=" + uid + " gids=" + Arrays.toString(gids) + (dacOverride ? " CAP_DAC_OVERRIDE" : "");
    }
}
