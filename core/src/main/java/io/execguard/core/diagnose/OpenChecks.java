package io.execguard.core.diagnose;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.platform.MountEntry;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks execve makes before it reads a byte (the kernel's {@code do_open_execat} and {@code may_open}): the
 * path resolves, names a regular file, not on a {@code noexec} mount, with execute permission - in that order.
 */
final class OpenChecks {
    private OpenChecks() {
    }

    /** The refusal for {@code path}, or null when execve gets as far as reading the file. */
    static Verdict check(Inspection in, String path, Lookup lookup) {
        if (!lookup.isFound()) {
            return notFound(path, lookup);
        }
        FileAttributes a = lookup.attributes().orElseThrow();
        String at = lookup.resolvedPath();
        Optional<String> closed = in.unsearchableDirectory(at);
        if (closed.isPresent()) {
            return notFound(path, Lookup.failed(Lookup.Status.ACCESS_DENIED, closed.get(), "permission denied"));
        }
        if (a.type() == FileType.DIRECTORY) {
            return Verdict.of(Cause.IS_DIRECTORY, path + describeTarget(path, at) + " is a directory, not a program.")
                    .resolvedPath(at);
        }
        if (a.type() != FileType.REGULAR) {
            return Verdict.of(Cause.NOT_REGULAR_FILE, path + describeTarget(path, at) + " is a "
                    + a.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", which cannot be executed.")
                    .resolvedPath(at);
        }
        Optional<MountEntry> mount = in.mountOf(at, a);
        if (mount.isPresent() && mount.get().noexec()) {
            MountEntry m = mount.get();
            return Verdict.of(Cause.NOEXEC_MOUNT, path + " is on " + m.mountPoint() + " (" + m.fsType()
                    + "), which is mounted noexec, so nothing on it can be executed.")
                    .resolvedPath(at)
                    .evidence("mount", Evidence.builder().put("mount_point", m.mountPoint())
                            .put("options", String.join(",", m.options())).put("fs_type", m.fsType())
                            .put("source", m.source()).build());
        }
        if (!in.mayExecute(a)) {
            String who = in.privileged() ? "it has no execute bit at all (even root needs one)"
                    : "this user may not execute it";
            return Verdict.of(Cause.NO_EXECUTE_PERMISSION, path + " has mode " + a.modeOctal() + ": " + who + ".")
                    .resolvedPath(at)
                    .evidence("permission", Evidence.builder().put("mode", a.modeOctal()).put("uid", (long) a.uid())
                            .put("gid", (long) a.gid()).build());
        }
        return null;
    }

    private static String describeTarget(String path, String resolved) {
        return resolved.equals(path) ? "" : " (" + resolved + ")";
    }

    static Verdict notFound(String path, Lookup lookup) {
        String at = lookup.resolvedPath();
        switch (lookup.status()) {
            case NOT_DIRECTORY:
                return Verdict.of(Cause.NOT_FOUND, path + " cannot be reached: " + at + " is not a directory.")
                        .errno(Errno.ENOTDIR).resolvedPath(at);
            case LOOP:
                return Verdict.of(Cause.NOT_FOUND, path + " cannot be resolved: more than 40 symbolic links were "
                        + "followed (a symlink loop at " + at + ").").errno(Errno.ELOOP).resolvedPath(at)
                        .remediation("Fix the symbolic link loop so that the path ends at a real file.");
            case ACCESS_DENIED:
                return Verdict.of(Cause.NO_EXECUTE_PERMISSION, path + " cannot be reached: the directory " + at
                        + " may not be searched by this user.").resolvedPath(at)
                        .remediation("Give the user search (x) permission on every directory of the path.");
            case ERROR:
                return Verdict.of(Cause.NOT_FOUND, path + " cannot be resolved: "
                        + lookup.detail().orElse("unknown error") + ".").resolvedPath(at);
            default:
                String where = at.equals("/") || path.equals(at) ? "" : ": " + at + " is missing";
                return Verdict.of(Cause.NOT_FOUND, path + " does not exist" + where + ".").resolvedPath(at);
        }
    }
}
