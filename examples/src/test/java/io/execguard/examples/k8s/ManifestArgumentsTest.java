package io.execguard.examples.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.execguard.sidecar.cli.Main;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The arguments the manifests give execguard are accepted by the real CLI, and the agent options in
 * JAVA_TOOL_OPTIONS by the real agent jar in a child JVM: a misspelled flag fails here, not in a pod.
 */
class ManifestArgumentsTest {
    private static final Path EXAMPLES = Paths.get(System.getProperty("execguard.examples.dir", "."));
    private static final Path AGENT_JAR = EXAMPLES.resolve("../agent/target/execguard-agent.jar").normalize();

    @Test
    void everyExecguardContainerArgumentParses() throws IOException {
        List<List<String>> commands = execguardCommands();
        assertTrue(commands.size() >= 3, "expected node, sidecar and audit-log variants: " + commands);
        for (List<String> args : commands) {
            CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(new String[0]));
            assertTrue(parsed.hasSubcommand(), args.toString());
        }
    }

    @Test
    void aMisspelledFlagIsRejected() {
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> Main.commandLine().parseArgs("watch", "--scope=pod", "--instal-rules"));
    }

    @Test
    void theRealAgentAcceptsTheManifestsOptions() throws Exception {
        assumeAgentJar();
        for (String options : List.of(agentOptions("sidecar/deployment.yaml"))) {
            String stderr = javaVersionWithAgent(options);
            assertFalse(stderr.contains("agent is disabled"), options + " -> " + stderr);
        }
        assertTrue(javaVersionWithAgent("-javaagent:" + AGENT_JAR + "=mode=enforc").contains("agent is disabled"),
                "the check must be able to fail");
    }

    private static String agentOptions(String manifest) throws IOException {
        Deployment deployment = (Deployment) StrictManifests.parseFile(EXAMPLES.resolve("k8s").resolve(manifest))
                .get(0);
        Container app = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("app")).findFirst().orElseThrow();
        String value = app.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .map(EnvVar::getValue).findFirst().orElseThrow();
        // The manifest's jar path exists only in the pod: point at the jar this build made.
        return value.replaceFirst("^-javaagent:[^=]+", "-javaagent:" + AGENT_JAR);
    }

    private static String javaVersionWithAgent(String javaagentOption) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), javaagentOption, "-version").start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "java -version with the agent did not finish");
        assertEquals(0, process.exitValue(), stderr);
        return stderr;
    }

    private static void assumeAgentJar() {
        boolean present = Files.isRegularFile(AGENT_JAR);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(AGENT_JAR + " is missing: the agent module must be packaged first");
        }
        assumeTrue(present, AGENT_JAR + " is not built (run mvn package): agent options not checked");
    }

    /** The args of every container running the execguard image as a CLI (init containers copy files). */
    private static List<List<String>> execguardCommands() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        for (String file : List.of("node/daemonset.yaml", "sidecar/deployment.yaml", "sidecar/audit-log-source.yaml")) {
            for (HasMetadata resource : StrictManifests.parseFile(EXAMPLES.resolve("k8s").resolve(file))) {
                PodSpec pod = resource instanceof DaemonSet
                        ? ((DaemonSet) resource).getSpec().getTemplate().getSpec()
                        : ((Deployment) resource).getSpec().getTemplate().getSpec();
                for (Container container : pod.getContainers()) {
                    if (container.getName().equals("execguard")) {
                        commands.add(container.getArgs());
                    }
                }
            }
        }
        return commands;
    }
}
