package io.execguard.agent.hook;

import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.jdk.ExecErrorFormat;
import io.execguard.agent.jdk.Launcher;
import io.execguard.agent.resolve.ExecutableResolver;
import io.execguard.core.diagnose.DiagnosisEngine;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent's code costs the thread that calls {@code ProcessBuilder.start} for a healthy program once its
 * verdict is cached - the success path of every exec - and its stages, in isolation from the fork itself. Run by
 * {@code bench/agent-hook.sh}; the end-to-end figure (with the fork) is {@code bench/agent-vs-otel.sh}'s.
 *
 * <p>Sample mode (each call timed): on a shared machine the median per call ({@code p0.50}) is the figure to read,
 * since a call that was descheduled moves the mean and the tail but not the median.
 *
 * <p>The search path is fixed (Debian's default for root, {@code true} found in its fourth entry) so that the
 * bare-name figures do not depend on the PATH of whoever runs the benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ExecHookBench {
    static final String SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String[] ABSOLUTE = {"/bin/true"};
    private static final String[] BARE = {"true"};

    private ExecInterceptor interceptor;
    private ExecGuard guard;
    private Diagnoser diagnoser;
    private ExecutableResolver resolver;
    private Path truePath;

    @Setup
    public void setUp() throws Exception {
        AgentOptions options = AgentOptions.defaults();
        interceptor = new ExecInterceptor(options);
        resolver = ExecutableResolver.of(SEARCH_PATH, Path.of("/"));
        diagnoser = new Diagnoser(new HostEngine(), SEARCH_PATH);
        guard = new ExecGuard(options, diagnoser, resolver, new HostLauncher(), ExecErrorFormat.current(),
                () -> {
                    throw new AssertionError("a healthy exec must not emit");
                });
        truePath = Path.of("/bin/true");
        if (interceptor.beforeStart(ABSOLUTE, null) != null || guard.beforeStart(BARE, null) != null) {
            throw new IllegalStateException("/bin/true must pass the exec check");
        }
    }

    /** The whole hook as installed, for an absolute path: what {@code ProcessImpl.start} calls. */
    @Benchmark
    public Object hookAbsolutePath() {
        return interceptor.beforeStart(ABSOLUTE, null);
    }

    /** The whole check for a bare name searched in the fixed PATH. */
    @Benchmark
    public Object checkBareName() {
        return guard.beforeStart(BARE, null);
    }

    /** Stage: resolving an absolute name against the working directory. */
    @Benchmark
    public Object resolveAbsolutePath() {
        return resolver.resolve("/bin/true", null);
    }

    /** Stage: resolving a bare name through the fixed PATH. */
    @Benchmark
    public Object resolveBareName() {
        return resolver.resolve("true", null);
    }

    /** Stage: the file's key alone - one stat through the basic attribute view. */
    @Benchmark
    public Object fileKey() {
        return FileKey.of(truePath);
    }

    /** Stage: the ctime, through the unix view - what a cached clearance re-reads at most once a second. */
    @Benchmark
    public Object ctime() {
        return FileKey.ctimeNanos(truePath);
    }

    /** Stage: the cached verdict on an already resolved file (its identity read, the cache consulted). */
    @Benchmark
    public Object cachedVerdict() {
        return diagnoser.diagnoseIfSuspect(truePath);
    }

    private static final class HostEngine implements java.util.function.Supplier<DiagnosisEngine> {
        @Override
        public DiagnosisEngine get() {
            return DiagnosisEngine.forHost();
        }
    }

    private static final class HostLauncher implements java.util.function.Supplier<Launcher> {
        @Override
        public Launcher get() {
            return Launcher.current();
        }
    }
}
