package io.execguard.sidecar.watch;

import io.execguard.core.fs.FileTree;

/**
 * Opens the file tree of a process root such as {@code /proc/1234/root}. Production code uses the safe opener
 * (openat2 with RESOLVE_IN_ROOT), so that a symlink planted in a container can never make watch read a host
 * file; tests and {@code audit read} may use a plain tree.
 */
@FunctionalInterface
public interface RootTrees {
    FileTree open(String root);
}
