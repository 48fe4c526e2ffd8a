package io.execguard.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code /proc/PID/cgroup} files as each runtime writes them, cgroup v1 and v2, cgroupfs and systemd drivers.
 * Recorded from real hosts (ids shortened to fixed 64-hex values).
 */
class ContainerIdsTest {
    private static final String ID = "8e7f6d5c4b3a29180716253443526170819a2b3c4d5e6f708192a3b4c5d6e7f8";
    private static final String POD = "5b6a7c8d-1e2f-4a3b-9c8d-7e6f5a4b3c2d";
    private static final String POD_SYSTEMD = POD.replace('-', '_');

    @Test
    void dockerCgroupV2Systemd() {
        assertContainer(ContainerRuntime.DOCKER, null, "0::/system.slice/docker-" + ID + ".scope\n");
    }

    @Test
    void dockerCgroupV1Cgroupfs() {
        assertContainer(ContainerRuntime.DOCKER, null, String.join("\n",
                "12:hugetlb:/docker/" + ID,
                "11:memory:/docker/" + ID,
                "10:cpu,cpuacct:/docker/" + ID,
                "2:pids:/docker/" + ID,
                "1:name=systemd:/docker/" + ID,
                "0::/system.slice/containerd.service", ""));
    }

    @Test
    void dockerCgroupV1Systemd() {
        assertContainer(ContainerRuntime.DOCKER, null, String.join("\n",
                "11:devices:/system.slice/docker-" + ID + ".scope",
                "1:name=systemd:/system.slice/docker-" + ID + ".scope", ""));
    }

    @Test
    void dockerRootlessCgroupV2() {
        assertContainer(ContainerRuntime.DOCKER, null,
                "0::/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" + ID + ".scope\n");
    }

    @Test
    void containerdCriCgroupV2Systemd() {
        assertContainer(ContainerRuntime.CONTAINERD, POD,
                "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_SYSTEMD
                        + ".slice/cri-containerd-" + ID + ".scope\n");
    }

    @Test
    void containerdCriCgroupV1Systemd() {
        assertContainer(ContainerRuntime.CONTAINERD, POD, String.join("\n",
                "12:memory:/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + POD_SYSTEMD
                        + ".slice/cri-containerd-" + ID + ".scope",
                "1:name=systemd:/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + POD_SYSTEMD
                        + ".slice/cri-containerd-" + ID + ".scope", ""));
    }

    @Test
    void containerdCriColonNotation() {
        assertContainer(ContainerRuntime.CONTAINERD, POD,
                "0::/kubepods-besteffort-pod" + POD_SYSTEMD + ".slice:cri-containerd:" + ID + "\n");
    }

    @Test
    void kubernetesCgroupfsDriverV1DoesNotNameTheRuntime() {
        assertContainer(ContainerRuntime.UNKNOWN, POD, String.join("\n",
                "11:memory:/kubepods/burstable/pod" + POD + "/" + ID,
                "1:name=systemd:/kubepods/burstable/pod" + POD + "/" + ID, ""));
    }

    @Test
    void kubernetesGuaranteedQosV2Cgroupfs() {
        assertContainer(ContainerRuntime.UNKNOWN, POD, "0::/kubepods/pod" + POD + "/" + ID + "\n");
    }

    @Test
    void crioCgroupV2Systemd() {
        assertContainer(ContainerRuntime.CRIO, POD,
                "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + POD_SYSTEMD
                        + ".slice/crio-" + ID + ".scope\n");
    }

    @Test
    void crioCgroupV1Cgroupfs() {
        assertContainer(ContainerRuntime.CRIO, POD, String.join("\n",
                "9:pids:/kubepods/besteffort/pod" + POD + "/crio-" + ID,
                "1:name=systemd:/kubepods/besteffort/pod" + POD + "/crio-" + ID, ""));
    }

    @Test
    void crioConmonIsNotTheContainer() {
        assertEquals(Optional.of(new ContainerIdentity(null, ContainerRuntime.UNKNOWN, POD)),
                ContainerIds.fromCgroupFile("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                        + POD_SYSTEMD + ".slice/crio-conmon-" + ID + ".scope\n"));
    }

    @Test
    void podmanRootfulCgroupV2() {
        assertContainer(ContainerRuntime.PODMAN, null, "0::/machine.slice/libpod-" + ID + ".scope\n");
    }

    @Test
    void podmanRootlessCgroupV2HasAContainerLeaf() {
        assertContainer(ContainerRuntime.PODMAN, null,
                "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope/container\n");
    }

    @Test
    void podmanCgroupV1Cgroupfs() {
        assertContainer(ContainerRuntime.PODMAN, null, String.join("\n",
                "5:memory:/libpod_parent/libpod-" + ID,
                "1:name=systemd:/libpod_parent/libpod-" + ID, ""));
    }

    @Test
    void podmanConmonIsNotTheContainer() {
        assertEquals(Optional.empty(),
                ContainerIds.fromCgroupFile("0::/machine.slice/libpod-conmon-" + ID + ".scope\n"));
    }

    @Test
    void unknownEngineWithAnIdScope() {
        assertContainer(ContainerRuntime.UNKNOWN, null, "0::/system.slice/buildkit-" + ID + ".scope\n");
    }

    @Test
    void hostProcessesAndPrivateCgroupNamespacesHaveNoId() {
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile("0::/\n"));
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile("0::/init.scope\n"));
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile(
                "0::/user.slice/user-1000.slice/session-3.scope\n"));
        // This machine: a 32-hex memory cgroup of the sandbox, not a container id.
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile(String.join("\n",
                "9:name=systemd:/", "4:memory:/process_api/6408d20694c58fc1c3f6ac1b53d2cf29", "1:cpu:/", "0::/", "")));
    }

    @Test
    void malformedFilesYieldNothing() {
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile(""));
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile("garbage\nno colons at all\n::"));
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile("0::/docker/" + ID.substring(1) + "\n"));
        assertEquals(Optional.empty(), ContainerIds.fromCgroupFile("0::/docker/" + ID.toUpperCase() + "\n"));
    }

    @Test
    void thisMachinesOwnCgroupFileParses() throws Exception {
        String text = new String(ProcessContextReader.readProcFile(java.nio.file.Path.of("/proc/self/cgroup")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(ContainerIds.fromCgroupFile(text), ProcessContext.self().orElseThrow().container());
    }

    private static void assertContainer(ContainerRuntime runtime, String podUid, String cgroupFile) {
        assertEquals(Optional.of(new ContainerIdentity(ID, runtime, podUid)), ContainerIds.fromCgroupFile(cgroupFile));
    }
}
