import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an agent adds to each spawn of a healthy program on the success path, measured so that the answer survives a
 * noisy, shared machine. The one harness for it: bench/agent-startup.sh and bench/agent-vs-otel.sh both call it.
 *
 * <pre>
 * java bench/agent/SpawnOverhead.java --java JAVA --cp DIR [--rounds 15] [--spawns 2000] [--warmup 1000] \
 *     [--ratio execguard/otel] [--summary FILE] \
 *     baseline= execguard=-javaagent:agent/target/execguard-agent.jar [otel=-javaagent:... ...]
 * </pre>
 *
 * Each configuration is a name and the JVM options it adds (split on blanks); the first is the baseline. One round
 * starts a fresh JVM per configuration ({@code AgentBench spawn SPAWNS WARMUP}: the warm-up spawns are discarded, so
 * the JIT's compile-up is not measured) and the order of configurations rotates from round to round, so neither
 * load drift nor "who runs first" favours one of them. Per spawn, in microseconds, three figures: wall time, CPU of
 * the whole JVM (children excluded) and CPU of the spawning thread, where an exec hook runs (the least noisy).
 *
 * <p>Reported per configuration: the median over rounds with its interquartile range; per agent: the median of the
 * per-round differences to the baseline of the same round (paired, so drift between rounds cancels) with a 95 %
 * distribution-free confidence interval of that median (order statistics of the binomial; needs 6 rounds or more).
 * A difference whose interval contains 0 is not distinguishable from noise in this run, and the table says so
 * rather than printing a ratio of two noises. {@code --ratio A/B} adds what A adds divided by what B adds, per figure;
 * {@code --summary FILE} writes one line per figure and configuration for scripts: {@code figure config median
 * added-median ci-low ci-high baseline-median} (figure names without blanks).
 */
public class SpawnOverhead {
    private static final String[] MEASURES = {"wall", "JVM CPU", "spawning thread CPU"};

    public static void main(String[] args) throws Exception {
        String java = "java";
        String classPath = null;
        int rounds = 15;
        int spawns = 2000;
        int warmup = 1000;
        String ratio = null;
        Path summary = null;
        Map<String, List<String>> configs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--java": java = args[++i]; break;
                case "--cp": classPath = args[++i]; break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--spawns": spawns = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--ratio": ratio = args[++i]; break;
                case "--summary": summary = Path.of(args[++i]); break;
                default:
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("expected NAME=JVM-OPTIONS, got " + args[i]);
                    }
                    String options = args[i].substring(eq + 1).trim();
                    configs.put(args[i].substring(0, eq),
                            options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+")));
            }
        }
        if (classPath == null || configs.size() < 2) {
            throw new IllegalArgumentException("usage: --java JAVA --cp DIR [--rounds R] [--spawns N] [--warmup W]"
                    + " baseline=OPTS agent=OPTS...");
        }
        List<String> names = new ArrayList<>(configs.keySet());
        double[][][] results = new double[names.size()][MEASURES.length][rounds];
        double minLoad = Double.MAX_VALUE;
        double maxLoad = 0;
        for (int r = 0; r < rounds; r++) {
            double load = loadAverage();
            minLoad = Math.min(minLoad, load);
            maxLoad = Math.max(maxLoad, load);
            for (int k = 0; k < names.size(); k++) {
                int c = (r + k) % names.size();
                double[] figures = run(java, configs.get(names.get(c)), classPath, spawns, warmup);
                for (int m = 0; m < MEASURES.length; m++) {
                    results[c][m][r] = figures[m];
                }
                System.err.printf(Locale.ROOT, "round %d/%d %-10s wall %8.1f  JVM CPU %7.1f  thread CPU %7.1f us/spawn"
                        + "  (load %.2f)%n", r + 1, rounds, names.get(c), figures[0], figures[1], figures[2], load);
            }
        }
        Stats stats = new Stats(names, results);
        print(stats, rounds, spawns, warmup, minLoad, maxLoad);
        if (ratio != null) {
            printRatio(stats, ratio);
        }
        if (summary != null) {
            Files.write(summary, stats.summaryLines());
        }
    }

    private static double[] run(String java, List<String> options, String classPath, int spawns, int warmup)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, "AgentBench", "spawn", Integer.toString(spawns),
                Integer.toString(warmup)));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null) {
            throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", command));
        }
        String[] f = last.trim().split("\\s+");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    private static void print(Stats stats, int rounds, int spawns, int warmup, double minLoad, double maxLoad) {
        List<String> names = stats.names;
        System.out.printf(Locale.ROOT, "%d rounds x %d configurations, each a fresh JVM: %d x /bin/true measured"
                + " after %d warm-up spawns; 1-minute load average %.2f-%.2f at the rounds' starts.%n%n",
                rounds, names.size(), spawns, warmup, minLoad, maxLoad);
        StringBuilder header = new StringBuilder("| per spawn (us) | ").append(names.get(0))
                .append(" median [IQR] |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int c = 1; c < names.size(); c++) {
            header.append(' ').append(names.get(c)).append(" median [IQR] | ").append(names.get(c))
                    .append(" adds: median of paired differences [95 % CI] |");
            rule.append("---|---|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (int m = 0; m < MEASURES.length; m++) {
            StringBuilder row = new StringBuilder("| ").append(MEASURES[m]).append(" | ")
                    .append(spread(stats.results[0][m])).append(" |");
            for (int c = 1; c < names.size(); c++) {
                row.append(' ').append(spread(stats.results[c][m])).append(" | ").append(stats.added(c, m).text())
                        .append(" |");
            }
            System.out.println(row);
        }
    }

    /** What A adds over what B adds, per figure - only where B's addition is distinguishable from noise. */
    private static void printRatio(Stats stats, String spec) {
        String[] ab = spec.split("/");
        int a = stats.names.indexOf(ab[0]);
        int b = stats.names.indexOf(ab[1]);
        if (a <= 0 || b <= 0) {
            throw new IllegalArgumentException("--ratio needs two agent configurations, got " + spec);
        }
        System.out.println();
        for (int m = 0; m < MEASURES.length; m++) {
            Added x = stats.added(a, m);
            Added y = stats.added(b, m);
            String verdict = !y.distinguishable() || y.median <= 0
                    ? String.format(Locale.ROOT, "%s's addition is not distinguishable from 0 in this run,"
                            + " so no ratio is meaningful", ab[1])
                    : String.format(Locale.ROOT, "ratio %.2f", x.median / y.median);
            System.out.printf(Locale.ROOT, "- %s per spawn: %s adds %+.1f us, %s adds %+.1f us: %s%n", MEASURES[m],
                    ab[0], x.median, ab[1], y.median, verdict);
        }
    }

    /** The rounds' figures, indexed [configuration][figure][round], and what they say. */
    private static final class Stats {
        final List<String> names;
        final double[][][] results;

        Stats(List<String> names, double[][][] results) {
            this.names = names;
            this.results = results;
        }

        Added added(int config, int measure) {
            int rounds = results[0][measure].length;
            double[] diff = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                diff[r] = results[config][measure][r] - results[0][measure][r];
            }
            return new Added(diff, median(results[0][measure]));
        }

        List<String> summaryLines() {
            List<String> lines = new ArrayList<>();
            for (int m = 0; m < MEASURES.length; m++) {
                for (int c = 1; c < names.size(); c++) {
                    Added a = added(c, m);
                    lines.add(String.format(Locale.ROOT, "%s %s %.2f %.2f %.2f %.2f %.2f",
                            MEASURES[m].replace(' ', '_'), names.get(c), median(results[c][m]), a.median, a.low,
                            a.high, a.base));
                }
            }
            return lines;
        }
    }

    /** The median of paired per-round differences, with its distribution-free 95 % confidence interval. */
    private static final class Added {
        final double median;
        final double low;
        final double high;
        final double base;
        final boolean hasInterval;

        Added(double[] diff, double base) {
            double[] d = diff.clone();
            Arrays.sort(d);
            int k = confidenceRank(d.length);
            this.median = quantile(d, 0.5);
            this.hasInterval = k >= 0;
            this.low = hasInterval ? d[k] : Double.NaN;
            this.high = hasInterval ? d[d.length - 1 - k] : Double.NaN;
            this.base = base;
        }

        boolean distinguishable() {
            return hasInterval && (low > 0 || high < 0);
        }

        String text() {
            String text = String.format(Locale.ROOT, "%+.1f (%+.1f %%)", median, 100 * median / base);
            if (!hasInterval) {
                return text + " [too few rounds for a CI]";
            }
            String ci = String.format(Locale.ROOT, " [%+.1f, %+.1f]", low, high);
            return distinguishable() ? text + ci : text + ci + " (not distinguishable from 0)";
        }
    }

    /**
     * The 0-based rank k such that [x(k), x(n-1-k)] of n sorted values covers the median with at least 95 %
     * probability (binomial with p = 1/2), or -1 when n is too small for that.
     */
    static int confidenceRank(int n) {
        double below = 0;
        double term = Math.pow(0.5, n); // P(X = 0)
        int k = -1; // the largest j with P(X <= j) <= 2.5 %
        for (int j = 0; j < n; j++) {
            below += term; // P(X <= j)
            if (below > 0.025) {
                break;
            }
            k = j;
            term = term * (n - j) / (j + 1);
        }
        return k;
    }

    /** Median and interquartile range. */
    private static String spread(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", quantile(v, 0.5), quantile(v, 0.25),
                quantile(v, 0.75));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return quantile(v, 0.5);
    }

    /** Linear interpolation between order statistics of sorted values. */
    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
