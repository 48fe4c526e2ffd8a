package io.execguard.examples.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under examples/k8s parses strictly into fabric8's model (a typo fails the build), every file is
 * reachable from a kustomization, and the privileges are exactly those the docs justify.
 */
class ManifestsTest {
    private static final Path K8S = Paths.get(System.getProperty("execguard.examples.dir", ".")).resolve("k8s");

    @Test
    void everyManifestParsesStrictly() throws IOException {
        List<Path> manifests = manifestFiles();
        assertFalse(manifests.isEmpty(), "no manifests found under " + K8S.toAbsolutePath());
        for (Path file : manifests) {
            List<HasMetadata> resources = StrictManifests.parseFile(file);
            assertFalse(resources.isEmpty(), file + " holds no resource");
        }
    }

    @Test
    void aMisspelledFieldFails() throws IOException {
        String daemonSet = Files.readString(K8S.resolve("node/daemonset.yaml"));
        String topLevelTypo = daemonSet.replace("hostPID: true", "hostPid: true");
        String nestedTypo = daemonSet.replace("readOnlyRootFilesystem:", "readOnlyRootFileSystem:");
        assertTrue(!topLevelTypo.equals(daemonSet) && !nestedTypo.equals(daemonSet), "the fixture text changed");

        UnrecognizedPropertyException top = assertThrows(UnrecognizedPropertyException.class,
                () -> StrictManifests.parse(topLevelTypo));
        assertEquals("hostPid", top.getPropertyName());
        UnrecognizedPropertyException nested = assertThrows(UnrecognizedPropertyException.class,
                () -> StrictManifests.parse(nestedTypo));
        assertEquals("readOnlyRootFileSystem", nested.getPropertyName());
    }

    /** Why StrictManifests exists: fabric8's model alone swallows unknown fields into additionalProperties. */
    @Test
    void fabric8AloneWouldAcceptTheTypo() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper lenient =
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        String typo = Files.readString(K8S.resolve("node/daemonset.yaml")).replace("hostPID: true", "hostPid: true");
        DaemonSet parsed = lenient.readValue(typo, DaemonSet.class);
        assertEquals(Boolean.TRUE, parsed.getSpec().getTemplate().getSpec().getAdditionalProperties().get("hostPid"));
    }

    @Test
    void aFieldAtTheWrongLevelFails() {
        String misplaced = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  automountServiceAccountToken: false\n";
        assertThrows(UnrecognizedPropertyException.class, () -> StrictManifests.parse(misplaced));
    }

    @Test
    void anUnknownKindFails() {
        assertThrows(IllegalArgumentException.class,
                () -> StrictManifests.parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"));
    }

    @Test
    void kustomizationsReferenceExistingFilesAndEveryManifest() throws IOException {
        Set<Path> referenced = new HashSet<>();
        collectReferenced(K8S, referenced);
        for (Path file : manifestFiles()) {
            assertTrue(referenced.contains(file.toAbsolutePath().normalize()),
                    file + " is not reachable from examples/k8s/kustomization.yaml");
        }
    }

    @Test
    void nodeModeHasExactlyTheDocumentedPrivileges() throws IOException {
        DaemonSet daemonSet = (DaemonSet) StrictManifests.parseFile(K8S.resolve("node/daemonset.yaml")).get(0);
        PodTemplateSpec template = daemonSet.getSpec().getTemplate();
        PodSpec pod = template.getSpec();
        assertEquals(Boolean.TRUE, pod.getHostPID(), "audit control messages need the initial pid namespace");
        assertEquals(Boolean.TRUE, pod.getHostNetwork(), "audit multicast reaches only the initial netns");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        Container watch = single(pod.getContainers());
        assertEquals(Set.of("AUDIT_CONTROL", "AUDIT_READ", "SYS_PTRACE"), added(watch));
        assertEquals(List.of("ALL"), watch.getSecurityContext().getCapabilities().getDrop());
        assertEquals(Boolean.FALSE, watch.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, watch.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(watch.getArgs().containsAll(List.of("watch", "--scope=node", "--install-rules")), watch.getArgs().toString());
        assertMetricsWiring(template, watch);
    }

    @Test
    void sidecarModeHasOnlyAuditReadAndLoadsTheAgentFromTheInitContainer() throws IOException {
        Deployment deployment = (Deployment) StrictManifests.parseFile(K8S.resolve("sidecar/deployment.yaml")).get(0);
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        PodSpec pod = template.getSpec();
        assertEquals(Boolean.TRUE, pod.getShareProcessNamespace());
        Container watch = named(pod.getContainers(), "execguard");
        assertEquals(Set.of("AUDIT_READ"), added(watch));
        assertTrue(watch.getArgs().containsAll(List.of("watch", "--scope=pod")), watch.getArgs().toString());
        assertFalse(watch.getArgs().contains("--install-rules"), "a pod cannot install audit rules");
        assertMetricsWiring(template, watch);

        Container app = named(pod.getContainers(), "app");
        assertEquals(Set.of(), added(app));
        assertEquals(List.of("ALL"), app.getSecurityContext().getCapabilities().getDrop());
        String options = app.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .map(EnvVar::getValue).findFirst().orElseThrow();
        String agentJar = options.replaceFirst("^-javaagent:([^=]+)=.*$", "$1");
        Container init = single(pod.getInitContainers());
        assertTrue(init.getCommand().contains(agentJar), "the init container must write " + agentJar);
        assertTrue(mountedDirectoryOf(app, agentJar).equals(mountedDirectoryOf(init, agentJar)),
                "app and init container must share the volume holding " + agentJar);
    }

    /** The pod annotation, the container port, the --listen port and the probes all name one port. */
    private static void assertMetricsWiring(PodTemplateSpec template, Container watch) {
        String port = template.getMetadata().getAnnotations().get("prometheus.io/port");
        assertEquals("true", template.getMetadata().getAnnotations().get("prometheus.io/scrape"));
        assertEquals(Integer.valueOf(port), single(watch.getPorts()).getContainerPort());
        assertTrue(watch.getArgs().stream().anyMatch(a -> a.startsWith("--listen=") && a.endsWith(":" + port)),
                "--listen must use the scraped port " + port);
        assertEquals("/readyz", watch.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/healthz", watch.getLivenessProbe().getHttpGet().getPath());
    }

    private static String mountedDirectoryOf(Container container, String file) {
        return container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/"))
                .map(VolumeMount::getName).findFirst().orElse("(" + container.getName() + ": not mounted)");
    }

    private static Set<String> added(Container container) {
        Capabilities capabilities = container.getSecurityContext().getCapabilities();
        return capabilities.getAdd() == null ? Set.of() : Set.copyOf(capabilities.getAdd());
    }

    private static Container named(List<Container> containers, String name) {
        return containers.stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    private static void collectReferenced(Path dir, Set<Path> referenced) throws IOException {
        JsonNode kustomization = StrictManifests.tree(dir.resolve("kustomization.yaml"));
        assertEquals("execguard", kustomization.path("namespace").asText(),
                dir + ": every kustomization puts its resources into the execguard namespace");
        List<String> entries = new ArrayList<>();
        kustomization.path("resources").forEach(r -> entries.add(r.asText()));
        kustomization.path("patches").forEach(p -> entries.add(p.path("path").asText()));
        for (String entry : entries) {
            Path target = dir.resolve(entry).toAbsolutePath().normalize();
            assertTrue(Files.exists(target), dir.resolve("kustomization.yaml") + " names missing " + entry);
            if (Files.isDirectory(target)) {
                collectReferenced(target, referenced);
            } else {
                referenced.add(target);
            }
        }
        // Optional patches are documented in a comment and must exist too.
        String text = Files.readString(dir.resolve("kustomization.yaml"));
        for (String line : text.lines().filter(l -> l.matches("#\\s+- path: .*")).collect(Collectors.toList())) {
            Path target = dir.resolve(line.replaceFirst("#\\s+- path: ", "").trim()).toAbsolutePath().normalize();
            assertTrue(Files.exists(target), "commented patch " + target + " does not exist");
            referenced.add(target);
        }
    }

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().collect(Collectors.toList());
        }
    }
}
