package io.execguard.core.platform;

import java.util.Collections;
import java.util.List;

/** One line of {@code /proc/PID/mountinfo}, with octal escapes in paths decoded. Immutable. */
public final class MountEntry {
    private final int mountId;
    private final int parentId;
    private final long major;
    private final long minor;
    private final String root;
    private final String mountPoint;
    private final List<String> options;
    private final String fsType;
    private final String source;
    private final String superOptions;

    MountEntry(int mountId, int parentId, long major, long minor, String root, String mountPoint, List<String> options,
               String fsType, String source, String superOptions) {
        this.mountId = mountId;
        this.parentId = parentId;
        this.major = major;
        this.minor = minor;
        this.root = root;
        this.mountPoint = mountPoint;
        this.options = Collections.unmodifiableList(options);
        this.fsType = fsType;
        this.source = source;
        this.superOptions = superOptions;
    }

    public int mountId() {
        return mountId;
    }

    public int parentId() {
        return parentId;
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    /** The directory of the file system that forms the root of this mount. */
    public String root() {
        return root;
    }

    /** Where it is mounted, relative to the reading process's root. */
    public String mountPoint() {
        return mountPoint;
    }

    /** Per-mount options ({@code rw}, {@code noexec}, {@code nosuid}...). */
    public List<String> options() {
        return options;
    }

    public String fsType() {
        return fsType;
    }

    public String source() {
        return source;
    }

    public String superOptions() {
        return superOptions;
    }

    /** True when files on this mount cannot be executed. */
    public boolean noexec() {
        return options.contains("noexec");
    }

    /** True when {@code path} (absolute, normalised) lies on or below this mount point. */
    public boolean covers(String path) {
        return mountPoint.equals("/") || path.equals(mountPoint) || path.startsWith(mountPoint + "/");
    }

    @Override
    public String toString() {
        return mountPoint + " (" + fsType + " " + String.join(",", options) + ")";
    }
}
