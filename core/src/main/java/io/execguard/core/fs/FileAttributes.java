package io.execguard.core.fs;

import java.util.Objects;

/** What {@code stat(2)} says of a file. Immutable. */
public final class FileAttributes {
    private final FileType type;
    private final int mode;
    private final long size;
    private final int uid;
    private final int gid;
    private final long device;
    private final long inode;
    private final long mtimeNanos;

    /**
     * @param mode permission bits including set-id and sticky bits ({@code st_mode & 07777})
     * @param device {@code st_dev} as the kernel encodes it (see {@link #deviceMajor()}); 0 when unknown
     * @param mtimeNanos modification time in nanoseconds since the epoch
     */
    public FileAttributes(FileType type, int mode, long size, int uid, int gid, long device, long inode,
                          long mtimeNanos) {
        this.type = Objects.requireNonNull(type, "type");
        this.mode = mode & 07777;
        this.size = size;
        this.uid = uid;
        this.gid = gid;
        this.device = device;
        this.inode = inode;
        this.mtimeNanos = mtimeNanos;
    }

    public FileType type() {
        return type;
    }

    /** Permission, set-id and sticky bits. */
    public int mode() {
        return mode;
    }

    public long size() {
        return size;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public long device() {
        return device;
    }

    /** Major number of {@link #device()} in the kernel's (glibc's) encoding. */
    public long deviceMajor() {
        return ((device >>> 32) & 0xfffff000L) | ((device >>> 8) & 0xfffL);
    }

    /** Minor number of {@link #device()} in the kernel's (glibc's) encoding. */
    public long deviceMinor() {
        return ((device >>> 12) & 0xffffff00L) | (device & 0xffL);
    }

    public long inode() {
        return inode;
    }

    public long mtimeNanos() {
        return mtimeNanos;
    }

    /** True when any of the three execute bits is set (root needs one too). */
    public boolean anyExecuteBit() {
        return (mode & 0111) != 0;
    }

    /** {@code mode} as four octal digits, e.g. {@code 0755}. */
    public String modeOctal() {
        char[] digits = {'0', '0', '0', '0'};
        for (int i = 3, m = mode; i >= 0; i--, m >>>= 3) {
            digits[i] = (char) ('0' + (m & 7));
        }
        return new String(digits);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileAttributes)) {
            return false;
        }
        FileAttributes a = (FileAttributes) o;
        return type == a.type && mode == a.mode && size == a.size && uid == a.uid && gid == a.gid
                && device == a.device && inode == a.inode && mtimeNanos == a.mtimeNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, mode, size, uid, gid, device, inode, mtimeNanos);
    }

    @Override
    public String toString() {
        return type + " " + modeOctal() + " size=" + size + " uid=" + uid + " dev=" + deviceMajor() + ":"
                + deviceMinor() + " ino=" + inode;
    }
}
