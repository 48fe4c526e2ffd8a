package io.execguard.core.context;

/** The container engine a cgroup path names. The value is ECS {@code container.runtime}. */
public enum ContainerRuntime {
    DOCKER("docker"),
    CONTAINERD("containerd"),
    CRIO("cri-o"),
    PODMAN("podman"),
    /** A 64-hex id in a cgroup path whose engine cannot be told apart (plain {@code /kubepods/.../<id>}). */
    UNKNOWN("unknown");

    private final String value;

    ContainerRuntime(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
