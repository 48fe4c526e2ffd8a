package io.execguard.sidecar.watch;

import io.execguard.sidecar.audit.exec.ExecFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a failure belongs to this pod when watch runs as a pod sidecar (shareProcessNamespace, no
 * hostPID): audit reports host pids, which mean nothing here, so the target is looked up inside the root of each
 * process this pod can see and compared by device and inode with the PATH record. The matching root is then the
 * root to diagnose in. A root that cannot be opened is not a "no": a failure that no opened root holds is this
 * pod's only if it is in one of those, so it is then neither claimed nor written off as another pod's, but
 * reported as unattributed.
 */
public final class PodScope {
    private final ProcReader proc;
    private final RootTrees trees;

    public PodScope(ProcReader proc, RootTrees trees) {
        this.proc = proc;
        this.trees = trees;
    }

    /**
     * Where a failure belongs: {@code process} is the pod process whose root holds the failed file; when empty,
     * {@code unopened} lists the roots that could not be looked in (empty: the failure is another pod's).
     */
    public record Location(Optional<CallerProcess> process, List<Unopened> unopened) {
        public Location {
            unopened = List.copyOf(unopened);
        }

        /** True when the file is in no root watch could open, but some roots could not be opened. */
        public boolean unattributed() {
            return process.isEmpty() && !unopened.isEmpty();
        }
    }

    /** A pod process whose root could not be opened, and why. */
    public record Unopened(long pid, String comm, RootUnavailableException error) {
    }

    /** Looks for the failed file in the root of each process this pod can see. */
    public Location locate(ExecFailure f) {
        List<Unopened> unopened = new ArrayList<>(0);
        for (long pid : proc.pids()) {
            Optional<CallerProcess> p = proc.read(pid, false);
            if (p.isEmpty()) {
                continue; // gone before it could be read: it has no root left to hold anything
            }
            try {
                if (SameFile.matches(f, trees, p.get().root())) {
                    return new Location(p, List.of());
                }
            } catch (RootUnavailableException e) {
                unopened.add(new Unopened(pid, p.get().comm(), e));
            }
        }
        return new Location(Optional.empty(), unopened);
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
