package io.execguard.agent.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a real child JVM (JDK 17 or Temurin 25), optionally with the real shaded agent jar, and waits for it. */
final class ChildJvm {
    static final Path AGENT_JAR = Path.of(System.getProperty("execguard.agent.jar", "target/execguard-agent.jar"));
    static final Path TEST_CLASSES = Path.of(System.getProperty("execguard.it.classes", "target/test-classes"));
    static final Path IT_LIBS = Path.of(System.getProperty("execguard.it.libs", "target/it-libs"));
    private static final long TIMEOUT_SECONDS = 120;

    private final Path javaHome;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> classpath = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private String mainClass;
    private final List<String> args = new ArrayList<>();

    private ChildJvm(Path javaHome) {
        this.javaHome = javaHome;
        classpath.add(TEST_CLASSES.toString());
    }

    /** A child on {@code jdk} ("17" or "25"). */
    static ChildJvm of(String jdk) {
        return new ChildJvm(javaHome(jdk));
    }

    /**
     * The JDK for "17" (the one running the tests) or "25" (Temurin, from EXECGUARD_TEMURIN25_HOME). A missing
     * Temurin 25 skips the test on a developer machine and fails it in CI.
     */
    static Path javaHome(String jdk) {
        if ("17".equals(jdk)) {
            if (Runtime.version().feature() != 17) {
                fail("the integration tests expect to run on JDK 17, not " + Runtime.version());
            }
            return Path.of(System.getProperty("java.home"));
        }
        String home = System.getenv().getOrDefault("EXECGUARD_TEMURIN25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");
        boolean present = Files.isExecutable(Path.of(home, "bin", "java"));
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("Temurin 25 is required in CI but missing at " + home);
        }
        assumeTrue(present, "Temurin 25 not installed at " + home + " (set EXECGUARD_TEMURIN25_HOME)");
        return Path.of(home);
    }

    /** Adds the agent jar here, in order among the other JVM arguments. */
    ChildJvm agent(String options) {
        jvmArgs.add("-javaagent:" + AGENT_JAR + (options == null || options.isEmpty() ? "" : "=" + options));
        return this;
    }

    ChildJvm jvmArg(String... values) {
        jvmArgs.addAll(List.of(values));
        return this;
    }

    ChildJvm classpath(Path entry) {
        classpath.add(entry.toString());
        return this;
    }

    ChildJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    ChildJvm main(String mainClass, String... args) {
        this.mainClass = mainClass;
        this.args.addAll(List.of(args));
        return this;
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child without waiting (for attach). */
    Process start(Path workDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command()).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("EXECGUARD_") || k.startsWith("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs the child to completion; stdout and stderr go to files so a chatty child can never block. */
    Result run(Path workDir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command()).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("EXECGUARD_") || k.startsWith("JAVA_TOOL_OPTIONS"));
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("child JVM did not finish in " + TIMEOUT_SECONDS + " s (deadlock?): " + command()
                        + "\nstderr: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A finished child. */
    static final class Result {
        final int exit;
        final String stdout;
        final String stderr;

        Result(int exit, String stdout, String stderr) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
