package io.execguard.core.context;

import java.util.Objects;
import java.util.Optional;

/**
 * Which container (and Kubernetes pod) a process belongs to, as its cgroup path says. Immutable.
 *
 * @see ContainerIds
 */
public final class ContainerIdentity {
    private final String containerId;
    private final ContainerRuntime runtime;
    private final String podUid;

    public ContainerIdentity(String containerId, ContainerRuntime runtime, String podUid) {
        this.containerId = containerId;
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.podUid = podUid;
    }

    /** The full 64-hex container id ({@code container.id}); empty when only the pod is known. */
    public Optional<String> containerId() {
        return Optional.ofNullable(containerId);
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    /** The Kubernetes pod uid in its canonical dashed form, from a {@code kubepods} slice. */
    public Optional<String> podUid() {
        return Optional.ofNullable(podUid);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ContainerIdentity)) {
            return false;
        }
        ContainerIdentity c = (ContainerIdentity) o;
        return Objects.equals(containerId, c.containerId) && runtime == c.runtime && Objects.equals(podUid, c.podUid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(containerId, runtime, podUid);
    }

    @Override
    public String toString() {
        return runtime.value() + ":" + containerId + (podUid == null ? "" : " pod=" + podUid);
    }
}
