package io.execguard.sidecar.watch;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.Lookup;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.PathItem;
import java.util.Optional;

/**
 * Decides whether a failure belongs to this pod when watch runs as a pod sidecar (shareProcessNamespace, no
 * hostPID): audit reports host pids, which mean nothing here, so the target is looked up inside the root of each
 * process this pod can see and compared by device and inode with the PATH record. The matching root is then the
 * root to diagnose in.
 */
public final class PodScope {
    private final ProcReader proc;
    private final RootTrees trees;

    public PodScope(ProcReader proc, RootTrees trees) {
        this.proc = proc;
        this.trees = trees;
    }

    /** The pod process whose root holds the failed file, or empty when the failure is not this pod's. */
    public Optional<CallerProcess> locate(ExecFailure f) {
        Optional<PathItem> target = f.target();
        if (target.isEmpty() || target.get().inode().isEmpty() || target.get().device().isEmpty()) {
            return Optional.empty();
        }
        long[] dev = parseDevice(target.get().device().get());
        if (dev == null) {
            return Optional.empty();
        }
        long inode = target.get().inode().getAsLong();
        for (long pid : proc.pids()) {
            Optional<CallerProcess> p = proc.read(pid, false);
            if (p.isEmpty()) {
                continue;
            }
            try {
                Lookup l = trees.open(p.get().root()).lookup(target.get().name(), f.cwd().orElse("/"));
                Optional<FileAttributes> a = l.attributes();
                if (a.isPresent() && a.get().inode() == inode && a.get().deviceMajor() == dev[0]
                        && a.get().deviceMinor() == dev[1]) {
                    return p;
                }
            } catch (RuntimeException e) {
                // a process that went away or a root we may not read: not a match
            }
        }
        return Optional.empty();
    }

    /** Parses audit's {@code MAJOR:MINOR} in hex, e.g. {@code fe:00}; null when malformed. */
    static long[] parseDevice(String dev) {
        int colon = dev.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(dev.substring(0, colon), 16), Long.parseLong(dev.substring(colon + 1),
                    16)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
