import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.hook.ExecInterceptor;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What the agent's hook costs the spawning thread per exec inside a real spawn loop, where every fork and exec
 * leaves the CPU's caches cold - measured directly, with a baseline in the same loop.
 *
 * <p>{@code bench/agent/SpawnOverhead.java} measures whole JVMs with and without an agent; its resolution (a few
 * microseconds per spawn between fresh JVMs) is coarser than the hook itself once a command is trusted. This harness
 * runs one JVM, with the shaded agent jar on the class path instead of as an agent, and calls the very function the
 * instrumented {@code ProcessImpl.start} calls (the agent's {@code beforeStart} hook) right before each
 * {@code ProcessBuilder.start()} of a spawn loop, timing that call with {@code System.nanoTime()}. Arms, in
 * rotation so that each call finds the caches as a spawn left them:
 * <ul>
 *   <li>{@code empty}: a function of the same shape that returns null - the baseline (the timer's own cost);</li>
 *   <li>{@code agent}: the hook with the default options (observe mode: a healthy command is trusted for 1 s);</li>
 *   <li>{@code recheck=0}: the hook looking at the file on every exec (enforce mode's default).</li>
 * </ul>
 * Each spawn is timed once, by one arm. Prints per arm the median, 90th and 99th percentiles, the mean (what the
 * application pays on average, including the full check the agent makes once per recheck interval and calls that
 * were descheduled) and the 99 % trimmed mean, in nanoseconds, and each hook arm minus the empty arm.
 *
 * <p>Usage: {@code java -cp agent/target/execguard-agent.jar bench/agent/HookInSitu.java [SPAWNS [WARMUP [COMMAND]]]}
 * (defaults: 6000 measured spawns, 3000 warm-up spawns, {@code /bin/true}); run by {@code bench/agent-hook-in-situ.sh}.
 */
public final class HookInSitu {
    private HookInSitu() {
    }

    public static void main(String[] args) throws Exception {
        int spawns = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        String command = args.length > 2 ? args[2] : "/bin/true";
        String[] cmd = {command};
        String[] names = {"empty", "agent", "recheck=0"};
        BiFunction<String[], String, Throwable> empty = new Empty();
        ExecInterceptor trusting = new ExecInterceptor(AgentOptions.parse("", Map.of()));
        ExecInterceptor looking = new ExecInterceptor(AgentOptions.parse("recheck=0", Map.of()));
        trusting.warmUp();
        looking.warmUp();
        BiFunction<String[], String, Throwable> agent = trusting.beforeStart();
        BiFunction<String[], String, Throwable> recheck0 = looking.beforeStart();
        long[][] samples = new long[3][spawns / 3 + 1];
        long measuredFrom = 0;
        int[] counts = new int[3];
        for (int i = 0; i < warmup + spawns; i++) {
            int arm = i % 3;
            if (i == warmup) {
                measuredFrom = System.nanoTime();
            }
            long t0;
            long t1;
            Throwable refused;
            // Three call sites, one per arm: each stays monomorphic, as the bridge's is in a real agent.
            if (arm == 0) {
                t0 = System.nanoTime();
                refused = empty.apply(cmd, null);
                t1 = System.nanoTime();
            } else if (arm == 1) {
                t0 = System.nanoTime();
                refused = agent.apply(cmd, null);
                t1 = System.nanoTime();
            } else {
                t0 = System.nanoTime();
                refused = recheck0.apply(cmd, null);
                t1 = System.nanoTime();
            }
            if (refused != null) {
                throw new IllegalStateException(command + " must pass the exec check: " + refused);
            }
            Process p = new ProcessBuilder(cmd).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " exited with " + p.exitValue());
            }
            if (i >= warmup && counts[arm] < samples[arm].length) {
                samples[arm][counts[arm]++] = t1 - t0;
            }
        }
        System.out.printf("%d spawns of %s after %d warm-up spawns, one hook call timed per spawn (ns per call):%n%n",
                spawns, command, warmup);
        System.out.println("| arm | calls | median | p90 | p99 | mean | 99 % trimmed mean |");
        System.out.println("|---|---|---|---|---|---|---|");
        double[] trimmed = new double[3];
        double[] mean = new double[3];
        long[] median = new long[3];
        for (int a = 0; a < 3; a++) {
            long[] s = Arrays.copyOf(samples[a], counts[a]);
            Arrays.sort(s);
            int keep = (int) Math.floor(s.length * 0.99);
            trimmed[a] = Arrays.stream(s, 0, keep).average().orElse(Double.NaN);
            mean[a] = Arrays.stream(s).average().orElse(Double.NaN);
            median[a] = s[s.length / 2];
            System.out.printf("| %s | %d | %d | %d | %d | %.0f | %.0f |%n", names[a], s.length, median[a],
                    s[(int) Math.floor(s.length * 0.90)], s[(int) Math.floor(s.length * 0.99)], mean[a], trimmed[a]);
        }
        // The agent arm's calls over 20 us are the ones that looked at the file again: its trust ends once a
        // second, and that check runs cold and, being rare, interpreted. Shown apart, with how often they came.
        long[] agentCalls = Arrays.copyOf(samples[1], counts[1]);
        long slow = Arrays.stream(agentCalls).filter(v -> v > 20_000).count();
        double slowMean = Arrays.stream(agentCalls).filter(v -> v > 20_000).average().orElse(0);
        double fastMean = Arrays.stream(agentCalls).filter(v -> v <= 20_000).average().orElse(Double.NaN);
        double seconds = (System.nanoTime() - measuredFrom) / 1e9;
        System.out.printf("%nagent arm: %d of %d calls looked at the file again (over 20 us: %.0f ns each on average;"
                + " %.1f per second of the measured %.1f s); the other calls %.0f ns on average%n", slow,
                agentCalls.length, slowMean, slow / seconds, seconds, fastMean);
        System.out.printf("%nminus empty, ns per exec: agent adds %d (median) / %.0f (mean) / %.0f (trimmed mean);"
                + " recheck=0 adds %d / %.0f / %.0f%n", median[1] - median[0], mean[1] - mean[0],
                trimmed[1] - trimmed[0], median[2] - median[0], mean[2] - mean[0], trimmed[2] - trimmed[0]);
    }

    /** The baseline arm: the hook's shape, no work. A named class, as the agent's own hooks are. */
    private static final class Empty implements BiFunction<String[], String, Throwable> {
        @Override
        public Throwable apply(String[] cmdarray, String dir) {
            return null;
        }
    }
}
