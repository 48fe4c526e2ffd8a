package io.execguard.examples.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.examples.fixtures.BrokenTool;
import io.execguard.examples.fixtures.BrokenTools;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capabilities the manifests grant are enough and none of them is decoration. The real {@code execguard watch}
 * runs with exactly the capabilities a manifest gives its container (as its bounding set, as a container runtime
 * sets it), while processes with their own root (a chroot, as a container has) fail to exec broken tools.
 *
 * <ul>
 *   <li>Node mode (DaemonSet): a process of another uid; every failure comes out diagnosed inside its root. The
 *       control run without CAP_SYS_PTRACE shows why the DaemonSet grants it: the kernel then refuses
 *       {@code /proc/<pid>/root} and the diagnosis is lost.</li>
 *   <li>Sidecar mode (Deployment, {@code --scope=pod}, only CAP_AUDIT_READ, rules installed by someone else), with
 *       watch and the apps sharing a new pid namespace as shareProcessNamespace makes them: an app running as uid 0
 *       with every capability dropped, as the manifest runs it, is seen and diagnosed; an app of another uid is
 *       not, which is the trade-off the manifest documents.</li>
 * </ul>
 *
 * <p>Needs root and kernel audit: skipped elsewhere, required in CI (CI=true).
 */
class WatchPrivilegesTest {
    private static final Path EXAMPLES = Paths.get(System.getProperty("execguard.examples.dir", "."));
    private static final Path CLI_JAR = EXAMPLES.resolve("../sidecar/target/execguard.jar").normalize();
    private static final List<BrokenTool> TRIED = List.of(BrokenTool.MISSING_LOADER, BrokenTool.WRONG_ARCHITECTURE,
            BrokenTool.CRLF_SCRIPT);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Process, String> watches = new HashMap<>();
    private final Map<String, String> watchPorts = new HashMap<>();

    @TempDir
    Path dir;

    @Test
    void nodeModesCapabilitiesDiagnoseInsideAForeignRootAndSysPtraceIsNeeded() throws Exception {
        requireRootAndAudit();
        List<String> granted = capabilities("node/daemonset.yaml");
        assertTrue(granted.contains("SYS_PTRACE"), granted.toString());
        Path root = containerLikeRoot("root", "tools");

        Map<String, String> withAll = failuresSeenBy(watch(granted, "node", "--install-rules", "--scope=node"),
                List.of(inRoot(root, "tools", "10001", List.of(), 3)), "/tools/");
        for (BrokenTool tool : TRIED) {
            assertEquals(tool.cause(), withAll.get("/tools/" + tool.fileName()), "with " + granted + ": " + withAll);
        }

        List<String> withoutPtrace = new ArrayList<>(granted);
        withoutPtrace.remove("SYS_PTRACE");
        Map<String, String> without = failuresSeenBy(watch(withoutPtrace, "noptrace", "--install-rules",
                "--scope=node"), List.of(inRoot(root, "tools", "10001", List.of(), 3)), "/tools/");
        for (BrokenTool tool : TRIED) {
            String path = "/tools/" + tool.fileName();
            assertTrue(without.containsKey(path), "the failure is still reported without SYS_PTRACE: " + without);
            assertFalse(tool.cause().equals(without.get(path)),
                    "without SYS_PTRACE the root is unreachable, so " + path + " cannot be diagnosed: " + without);
        }
    }

    @Test
    void sidecarModeWithOnlyAuditReadSeesAnAppOfItsUidWithoutCapabilities() throws Exception {
        requireRootAndAudit();
        List<String> granted = capabilities("sidecar/deployment.yaml");
        assertEquals(List.of("AUDIT_READ"), granted);
        Path sameUid = containerLikeRoot("app-root", "app-tools");
        Path otherUid = containerLikeRoot("other-root", "other-tools");
        String key = "execguard-examples-pod";
        assertEquals(0, cli("audit", "rules", "--install", "--key=" + key), "installing the rules (as the node does)");
        try {
            Map<String, String> seen = failuresSeenInPod(watchCommand(granted, "pod", "--scope=pod"), List.of(
                    inRoot(otherUid, "other-tools", "10001", List.of(), 10),
                    inRoot(sameUid, "app-tools", "0", List.of("--bounding-set=-all", "--inh-caps=-all"), 10)),
                    "/app-tools/");
            for (BrokenTool tool : TRIED) {
                assertEquals(tool.cause(), seen.get("/app-tools/" + tool.fileName()), seen.toString());
            }
            Map<String, String> others = causes(dir.resolve("pod.json"), "/other-tools/");
            assertTrue(others.isEmpty(), "a process of another uid is out of reach without SYS_PTRACE: " + others);
        } finally {
            cli("audit", "rules", "--remove", "--key=" + key);
        }
    }

    /** Starts watch with exactly {@code capabilities} as its bounding set, as a container would have them. */
    private Process watch(List<String> capabilities, String name, String... options) throws IOException {
        Process watch = new ProcessBuilder(watchCommand(capabilities, name, options)).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        watches.put(watch, watchPorts.get(name));
        return watch;
    }

    /** The command that runs watch with exactly {@code capabilities}; remembers its port under {@code name}. */
    private List<String> watchCommand(List<String> capabilities, String name, String... options) throws IOException {
        int port = freePort();
        String bounding = "-all," + String.join(",", capabilities.stream()
                .map(c -> "+" + c.toLowerCase(Locale.ROOT)).toArray(String[]::new));
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set=" + bounding, "--inh-caps=-all",
                javaBinary(), "-jar", CLI_JAR.toString(), "watch", "--rule-key=execguard-examples-test",
                "--dedupe-window=0", "--output=file:" + dir.resolve(name + ".json"), "--listen=127.0.0.1:" + port));
        command.addAll(List.of(options));
        watchPorts.put(name, name + ":" + port);
        return command;
    }

    /**
     * Runs watch and the apps in one new pid namespace - what shareProcessNamespace gives a pod - so that watch's
     * /proc holds only the pod's processes, and returns the cause per failed path under PREFIX.
     */
    private Map<String, String> failuresSeenInPod(List<String> watch, List<List<String>> apps, String prefix)
            throws Exception {
        String[] nameAndPort = watchPorts.get("pod").split(":");
        Path log = dir.resolve("pod.log");
        Path start = dir.resolve("pod.start");
        Path done = dir.resolve("pod.done");
        StringBuilder script = new StringBuilder(quoted(watch)).append(" &\n");
        script.append("while [ ! -e ").append(start).append(" ]; do sleep 0.2; done\n");
        for (List<String> app : apps) {
            script.append(quoted(app)).append(" &\n");
        }
        script.append("while [ ! -e ").append(done).append(" ]; do sleep 0.2; done\n");
        Process pod = new ProcessBuilder("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "/bin/sh", "-c",
                script.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitReady(Integer.parseInt(nameAndPort[1]), pod, log);
            Files.createFile(start);
            Path events = dir.resolve("pod.json");
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < 80 && seen.size() < TRIED.size(); i++) {
                Thread.sleep(250);
                seen = causes(events, prefix);
            }
            assertEquals(TRIED.size(), seen.size(), "failures seen by watch in the pod: " + seen + "; the pod said: "
                    + Files.readString(log));
            return seen;
        } finally {
            Files.write(done, new byte[0]);
            if (!pod.waitFor(30, TimeUnit.SECONDS)) {
                pod.destroyForcibly();
            }
        }
    }

    private static String quoted(List<String> command) {
        return command.stream().map(arg -> "'" + arg.replace("'", "'\\''") + "'")
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /**
     * A shell inside {@code root} as {@code uid} (with extra setpriv options) that fails every tool and then lives on
     * for a while, as a container's main process does.
     */
    private static List<String> inRoot(Path root, String tools, String uid, List<String> privileges, int lingerSeconds) {
        StringBuilder script = new StringBuilder();
        for (BrokenTool tool : TRIED) {
            script.append('/').append(tools).append('/').append(tool.fileName()).append("; ");
        }
        script.append("sleep ").append(lingerSeconds);
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--root=" + root, "--setuid=" + uid,
                "--setgid=" + uid));
        if (!privileges.isEmpty()) {
            command.add("/usr/bin/setpriv");
            command.addAll(privileges);
        }
        command.addAll(List.of("/bin/sh", "-c", script.toString()));
        return command;
    }

    /** Waits until {@code watch} is ready, runs the apps, and returns the cause per failed path under PREFIX. */
    private Map<String, String> failuresSeenBy(Process watch, List<List<String>> apps, String prefix)
            throws Exception {
        String[] nameAndPort = watches.get(watch).split(":");
        Path events = dir.resolve(nameAndPort[0] + ".json");
        Path log = dir.resolve(nameAndPort[0] + ".log");
        try {
            awaitReady(Integer.parseInt(nameAndPort[1]), watch, log);
            StringBuilder said = new StringBuilder();
            for (List<String> app : apps) {
                Process process = new ProcessBuilder(app).redirectErrorStream(true).start();
                said.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            }
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < 40 && seen.size() < TRIED.size(); i++) {
                Thread.sleep(250);
                seen = causes(events, prefix);
            }
            assertEquals(TRIED.size(), seen.size(), "failures seen by watch (" + nameAndPort[0] + "): " + seen
                    + "; the shells in the roots said: " + said + "; watch's log: " + Files.readString(log));
            return seen;
        } finally {
            watch.destroy();
            assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch did not stop on SIGTERM");
        }
    }

    /** The diagnosed cause per failed path starting with {@code prefix}, from a JSON-lines event file. */
    private static Map<String, String> causes(Path events, String prefix) throws IOException {
        Map<String, String> causes = new HashMap<>();
        if (Files.exists(events)) {
            for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
                JsonNode event = JSON.readTree(line);
                String path = event.path("file").path("path").asText();
                if (path.startsWith(prefix)) {
                    causes.put(path, event.path("execguard").path("diagnosis").path("cause").asText("(none)"));
                }
            }
        }
        return causes;
    }

    private static int cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", CLI_JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return process.exitValue();
    }

    private static void awaitReady(int port, Process watch, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 120 && watch.isAlive(); i++) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("watch did not become ready: " + Files.readString(log));
    }

    /** A minimal root: /bin/sh, sleep, setpriv, their libraries, and the broken tools in /TOOLS. */
    private Path containerLikeRoot(String name, String tools) throws Exception {
        Path root = dir.resolve(name);
        // setpriv drops the app's capabilities inside the root, after unshare (which needs them) set it up.
        for (String program : List.of("/bin/sh", "/bin/sleep", "/usr/bin/setpriv")) {
            copyInto(root, Paths.get(program).toRealPath(), Paths.get(program));
            for (Path library : libraries(program)) {
                copyInto(root, library.toRealPath(), library);
            }
        }
        BrokenTools.fromHost().writeAll(root.resolve(tools));
        return root;
    }

    private static void copyInto(Path root, Path source, Path as) throws IOException {
        Path target = root.resolve(as.toString().substring(1));
        Files.createDirectories(target.getParent());
        if (!Files.exists(target)) {
            Files.copy(source, target);
        }
    }

    /** The absolute library paths ldd names for a program (the loader included). */
    private static List<Path> libraries(String program) throws Exception {
        Process ldd = new ProcessBuilder("ldd", program).redirectErrorStream(true).start();
        String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ldd.waitFor(10, TimeUnit.SECONDS));
        List<Path> libraries = new ArrayList<>();
        Matcher absolute = Pattern.compile("(/\\S+) \\(0x").matcher(out);
        while (absolute.find()) {
            libraries.add(Paths.get(absolute.group(1)));
        }
        return libraries;
    }

    /** The capabilities the manifest adds to its container named execguard. */
    private static List<String> capabilities(String manifest) throws IOException {
        HasMetadata resource = StrictManifests.parseFile(EXAMPLES.resolve("k8s").resolve(manifest)).get(0);
        PodSpec pod = resource instanceof DaemonSet
                ? ((DaemonSet) resource).getSpec().getTemplate().getSpec()
                : ((Deployment) resource).getSpec().getTemplate().getSpec();
        return pod.getContainers().stream().filter(c -> c.getName().equals("execguard")).findFirst().orElseThrow()
                .getSecurityContext().getCapabilities().getAdd();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void requireRootAndAudit() throws Exception {
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "not root";
        } else if (!Files.isRegularFile(CLI_JAR)) {
            why = CLI_JAR + " is not built";
        } else {
            Process status = new ProcessBuilder(javaBinary(), "-jar", CLI_JAR.toString(), "audit", "status")
                    .redirectErrorStream(true).start();
            String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!status.waitFor(60, TimeUnit.SECONDS) || status.exitValue() != 0) {
                why = "audit unavailable: " + out.lines().findFirst().orElse("");
            }
        }
        if (why != null && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the node-mode privilege test, but: " + why);
        }
        assumeTrue(why == null, "node-mode privileges not checked: " + why);
    }
}
