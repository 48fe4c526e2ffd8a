package io.execguard.examples.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What kustomize makes of the kustomizations also parses strictly, puts everything into the execguard namespace,
 * and the optional audit-log patch turns sidecar mode into what its comments promise. Uses {@code kubectl kustomize}
 * when kubectl is installed (it is not a Debian package of the CI machine's release, so this test skips without it;
 * ManifestsTest checks the sources either way).
 */
class KustomizeBuildTest {
    private static final Path K8S = Paths.get(System.getProperty("execguard.examples.dir", ".")).resolve("k8s");

    @TempDir
    Path dir;

    @Test
    void everyKustomizationBuildsIntoStrictlyValidResourcesInOneNamespace() throws Exception {
        for (Path kustomization : List.of(K8S, K8S.resolve("node"), K8S.resolve("sidecar"))) {
            List<HasMetadata> resources = StrictManifests.parse(kustomize(kustomization));
            assertFalse(resources.isEmpty(), kustomization.toString());
            for (HasMetadata resource : resources) {
                if (!(resource instanceof Namespace)) {
                    assertEquals("execguard", resource.getMetadata().getNamespace(), resource.getMetadata().getName());
                }
            }
        }
    }

    @Test
    void theAuditLogPatchDropsHostNetworkAndEveryCapability() throws Exception {
        Path sidecar = dir.resolve("sidecar");
        Files.createDirectories(sidecar);
        try (Stream<Path> files = Files.list(K8S.resolve("sidecar"))) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.copy(file, sidecar.resolve(file.getFileName()));
            }
        }
        Path kustomization = sidecar.resolve("kustomization.yaml");
        String enabled = Files.readString(kustomization).replace("# patches:", "patches:")
                .replace("#   - path: audit-log-source.yaml", "  - path: audit-log-source.yaml");
        assertNotEquals(Files.readString(kustomization), enabled, "the patch lines must be there to uncomment");
        Files.writeString(kustomization, enabled);

        Deployment deployment = (Deployment) StrictManifests.parse(kustomize(sidecar)).get(0);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.FALSE, pod.getHostNetwork());
        Container watch = pod.getContainers().stream().filter(c -> c.getName().equals("execguard")).findFirst()
                .orElseThrow();
        assertTrue(watch.getArgs().contains("--audit-log=/var/log/audit/audit.log"), watch.getArgs().toString());
        assertEquals(List.of(), watch.getSecurityContext().getCapabilities().getAdd());
        assertEquals(1, watch.getPorts().size(), "one metrics port after the merge: " + watch.getPorts());
        assertTrue(watch.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/var/log/audit")
                && Boolean.TRUE.equals(m.getReadOnly())));
    }

    private static String kustomize(Path kustomization) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", kustomization.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "kubectl is not installed: kustomize output not checked");
            throw e;
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, process.exitValue(), err);
        return out;
    }
}
