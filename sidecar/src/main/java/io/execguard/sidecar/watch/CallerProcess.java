package io.execguard.sidecar.watch;

import io.execguard.core.context.ContainerIdentity;
import io.execguard.core.context.SecurityContext;
import java.util.List;
import java.util.Optional;

/**
 * What /proc still says about the process that tried the exec (or its parent, when the child is gone): its
 * executable, comm, current arguments, parent pid and executable, container, security context and the root directory its paths
 * resolve in. {@code viaParent} says the facts are the parent's.
 */
public record CallerProcess(long pid, boolean viaParent, Optional<String> exe, String comm, List<String> args, long ppid,
        Optional<String> parentExe, Optional<ContainerIdentity> container, Optional<SecurityContext> security,
        String root) {
}
