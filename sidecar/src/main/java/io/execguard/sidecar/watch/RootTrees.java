package io.execguard.sidecar.watch;

import io.execguard.core.fs.FileTree;
import io.execguard.linux.RootedFileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Opens the file tree of a process root such as {@code /proc/1234/root}. Production code uses the safe opener
 * ({@link RootedFileTree}: openat2 with RESOLVE_IN_ROOT, the root held open by a descriptor so it survives the
 * process), so that a symlink planted in a container can never make watch read a host file; tests and
 * {@code audit read} may use a plain tree.
 */
@FunctionalInterface
public interface RootTrees {
    /**
     * Opens the tree; the caller closes it when it is {@link AutoCloseable}.
     *
     * @throws UncheckedIOException when the root cannot be opened (the process is gone)
     */
    FileTree open(String root);

    /** The safe opener. */
    static RootTrees safe() {
        return root -> {
            try {
                return RootedFileTree.of(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Opens {@code root}, applies {@code use} and closes the tree again.
     *
     * @throws RootUnavailableException when the root cannot be opened (what {@code use} throws passes unchanged)
     */
    default <T> T with(String root, Function<FileTree, T> use) {
        FileTree tree;
        try {
            tree = open(root);
        } catch (RuntimeException e) {
            throw new RootUnavailableException(root, e);
        }
        try {
            return use.apply(tree);
        } finally {
            if (tree instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) tree).close();
                } catch (Exception e) {
                    // closing a read-only descriptor cannot lose anything
                }
            }
        }
    }
}
