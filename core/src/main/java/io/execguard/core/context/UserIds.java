package io.execguard.core.context;

/**
 * The real and effective user and group ids of a process, as {@code /proc/PID/status} lists them. Immutable.
 * Ids are the ones seen from the reader's user namespace.
 */
public final class UserIds {
    private final long uid;
    private final long effectiveUid;
    private final long gid;
    private final long effectiveGid;

    public UserIds(long uid, long effectiveUid, long gid, long effectiveGid) {
        this.uid = uid;
        this.effectiveUid = effectiveUid;
        this.gid = gid;
        this.effectiveGid = effectiveGid;
    }

    /** Real uid ({@code user.id}). */
    public long uid() {
        return uid;
    }

    /** Effective uid ({@code user.effective.id}). */
    public long effectiveUid() {
        return effectiveUid;
    }

    /** Real gid ({@code user.group.id}). */
    public long gid() {
        return gid;
    }

    /** Effective gid. */
    public long effectiveGid() {
        return effectiveGid;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UserIds)) {
            return false;
        }
        UserIds u = (UserIds) o;
        return uid == u.uid && effectiveUid == u.effectiveUid && gid == u.gid && effectiveGid == u.effectiveGid;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(uid) * 31 + Long.hashCode(effectiveUid) * 17 + Long.hashCode(gid) + (int) effectiveGid;
    }

    @Override
    public String toString() {
        return "uid=" + uid + " euid=" + effectiveUid + " gid=" + gid + " egid=" + effectiveGid;
    }
}
