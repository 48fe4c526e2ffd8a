package io.execguard.sidecar.watch;

import io.execguard.sidecar.audit.exec.ExecFailure;
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
        for (long pid : proc.pids()) {
            Optional<CallerProcess> p = proc.read(pid, false);
            if (p.isPresent() && SameFile.matches(f, trees, p.get().root())) {
                return p;
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
