package io.execguard.sidecar.watch;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.sidecar.audit.exec.ExecFailure;
import io.execguard.sidecar.audit.exec.PathItem;
import java.util.Optional;

/**
 * Decides whether a path in some root is the very file an audit record names, by the device and inode the kernel
 * recorded: the only safe way to diagnose a file when the process that tried it is gone, because the same path in
 * another root (another container) is another file.
 */
final class SameFile {
    private SameFile() {
    }

    /**
     * True when the failure's target, looked up in {@code root}, has the recorded device and inode.
     *
     * @throws RootUnavailableException when {@code root} cannot be opened: that is not a "no" - the file may well
     *     be there - and the caller must say so rather than count the failure as someone else's
     */
    static boolean matches(ExecFailure f, RootTrees trees, String root) {
        return trees.with(root, tree -> matches(f, tree));
    }

    /** True when the failure's target, looked up in {@code tree}, has the recorded device and inode. */
    static boolean matches(ExecFailure f, FileTree tree) {
        Optional<PathItem> t = f.target();
        if (t.isEmpty() || t.get().inode().isEmpty() || t.get().device().isEmpty() || t.get().name().isEmpty()) {
            return false;
        }
        long[] dev = PodScope.parseDevice(t.get().device().get());
        if (dev == null) {
            return false;
        }
        try {
            Optional<FileAttributes> a = tree.lookup(t.get().name(), f.cwd().orElse("/")).attributes();
            return a.isPresent() && a.get().inode() == t.get().inode().getAsLong() && a.get().deviceMajor() == dev[0]
                    && a.get().deviceMinor() == dev[1];
        } catch (RuntimeException e) {
            return false;
        }
    }
}
