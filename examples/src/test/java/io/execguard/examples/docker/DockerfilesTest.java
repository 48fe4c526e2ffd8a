package io.execguard.examples.docker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs where the tests run, so the images cannot be built here; this test keeps the
 * Dockerfiles consistent with the build outputs and with the Kubernetes manifests that use the image.
 */
class DockerfilesTest {
    private static final Path EXAMPLES = Paths.get(System.getProperty("execguard.examples.dir", "."));

    @Test
    void theSidecarImageCopiesTheJarsTheBuildProduces() throws IOException {
        String dockerfile = Files.readString(EXAMPLES.resolve("docker/sidecar.Dockerfile"));
        assertTrue(dockerfile.contains("sidecar/target/execguard.jar"));
        assertTrue(dockerfile.contains("agent/target/execguard-agent.jar"));
        assertTrue(dockerfile.contains("FROM --platform=$BUILDPLATFORM"), "the builder must run natively");
        assertTrue(dockerfile.contains("-Djna.boot.library.path=/opt/execguard/native"));
        assertTrue(dockerfile.contains("-Djna.noclasspath=true") && dockerfile.contains("-Djna.nounpack=true"),
                "no run-time extraction on a read-only root (docs/native.md)");
        assertTrue(dockerfile.contains("USER 65532"), "non-root by default");
    }

    @Test
    void theManifestsAndTheAgentImageUseWhatTheSidecarImageHolds() throws IOException {
        String deployment = Files.readString(EXAMPLES.resolve("k8s/sidecar/deployment.yaml"));
        String appImage = Files.readString(EXAMPLES.resolve("docker/app-with-agent.Dockerfile"));
        String sidecarImage = Files.readString(EXAMPLES.resolve("docker/sidecar.Dockerfile"));
        assertTrue(sidecarImage.contains("/opt/execguard/"), "the image installs into /opt/execguard");
        assertTrue(deployment.contains("\"/opt/execguard/execguard-agent.jar\""), "init container copies the agent");
        assertTrue(appImage.contains("COPY --from=execguard --chmod=0444 /opt/execguard/execguard-agent.jar"));
        assertTrue(appImage.contains("ARG EXECGUARD_IMAGE=execguard/execguard:0.1.0")
                && deployment.contains("image: execguard/execguard:0.1.0"), "one image name everywhere");
    }
}
