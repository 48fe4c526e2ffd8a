package io.execguard.sidecar.watch;

import java.util.Optional;

/**
 * What /proc still says about the process that tried the exec (or its parent, when the child is gone): its
 * executable, comm, parent pid, container id and the root directory its paths resolve in. {@code viaParent} says
 * the facts are the parent's.
 */
public record CallerProcess(int pid, boolean viaParent, Optional<String> exe, Optional<String> comm, int ppid,
        Optional<String> parentExe, Optional<String> containerId, String root) {
}
