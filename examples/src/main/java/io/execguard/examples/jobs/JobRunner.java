package io.execguard.examples.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo service: a small scheduler whose background jobs run external tools and log what happened, the way
 * real services do (a line per result, the stack trace when a tool cannot be started). It knows nothing about
 * execguard: everything execguard adds comes from the agent on the command line.
 *
 * <p>Usage: {@code JobRunner --tools DIR [--jobs FILE] [--rounds N] [--drain-ms N]}. After the last round the
 * service drains for {@code --drain-ms} (default 1000) before it exits, as a service being stopped does; exit status
 * 0 when the jobs ran (whatever the tools did), 2 for a usage error.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int OUTPUT_LINES = 2;
    private static final long TOOL_TIMEOUT_SECONDS = 20;

    private final List<Job> jobs;

    /** A runner for the given jobs. */
    public JobRunner(List<Job> jobs) {
        this.jobs = List.copyOf(jobs);
    }

    /**
     * Runs every job {@code rounds} times on the scheduler thread, one after another, and returns the results in
     * order.
     */
    public List<JobResult> runRounds(int rounds) throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                task -> new Thread(task, "jobs-scheduler"));
        try {
            List<ScheduledFuture<JobResult>> pending = new ArrayList<>();
            long delayMillis = 0;
            for (int round = 0; round < rounds; round++) {
                for (Job job : jobs) {
                    pending.add(scheduler.schedule(() -> run(job), delayMillis, TimeUnit.MILLISECONDS));
                    delayMillis += 20;
                }
            }
            List<JobResult> results = new ArrayList<>();
            for (ScheduledFuture<JobResult> future : pending) {
                results.add(await(future));
            }
            return List.copyOf(results);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Runs one job and logs how it ended. */
    public JobResult run(Job job) {
        log.info("job {} starting: {}", job.name(), String.join(" ", job.command()));
        Process process;
        try {
            process = new ProcessBuilder(job.command()).redirectErrorStream(true).start();
        } catch (IOException e) {
            log.error("job {} failed: could not start {}", job.name(), job.command().get(0), e);
            return new JobResult(job, Optional.empty(), "", Optional.of(e));
        }
        try {
            String output = firstLines(process.getInputStream());
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.error("job {} timed out after {} s", job.name(), TOOL_TIMEOUT_SECONDS);
                return new JobResult(job, Optional.empty(), output, Optional.of(new TimeoutException()));
            }
            int exit = process.exitValue();
            if (exit == 0) {
                log.info("job {} succeeded{}", job.name(), output.isEmpty() ? "" : ": " + output);
            } else {
                log.warn("job {} exited with status {}{}", job.name(), exit, output.isEmpty() ? "" : ": " + output);
            }
            return new JobResult(job, Optional.of(exit), output, Optional.empty());
        } catch (IOException e) {
            log.error("job {} failed while reading the output of {}", job.name(), job.command().get(0), e);
            return new JobResult(job, Optional.empty(), "", Optional.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new JobResult(job, Optional.empty(), "", Optional.of(e));
        }
    }

    /** Reads all output (so the tool never blocks on a full pipe) and keeps the first lines. */
    private static String firstLines(InputStream stream) throws IOException {
        List<String> kept = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (kept.size() < OUTPUT_LINES) {
                    kept.add(line.strip());
                }
            }
        }
        return String.join(" | ", kept);
    }

    private static JobResult await(ScheduledFuture<JobResult> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a job crashed the scheduler", e.getCause());
        }
    }

    /** Runs the service; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Optional<Path> tools = Optional.empty();
        Optional<Path> jobList = Optional.empty();
        int rounds = 1;
        long drainMillis = 1000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--tools" -> tools = Optional.of(Paths.get(requireValue(args[i], value)));
                case "--jobs" -> jobList = Optional.of(Paths.get(requireValue(args[i], value)));
                case "--rounds" -> rounds = (int) number(args[i], value);
                case "--drain-ms" -> drainMillis = number(args[i], value);
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (tools.isEmpty()) {
            usage("--tools DIR is required");
        }
        List<Job> jobs;
        try (Reader source = jobList.isPresent()
                ? Files.newBufferedReader(jobList.get())
                : new InputStreamReader(JobRunner.class.getResourceAsStream("/jobs.conf"), StandardCharsets.UTF_8)) {
            jobs = JobCatalog.parse(source, tools.get().toAbsolutePath());
        }
        List<JobResult> results = new JobRunner(jobs).runRounds(rounds);
        long ok = results.stream().filter(JobResult::succeeded).count();
        log.info("{} job runs: {} succeeded, {} failed; draining {} ms before exit", results.size(), ok,
                results.size() - ok, drainMillis);
        Thread.sleep(drainMillis);
    }

    private static String requireValue(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static long number(String option, String value) {
        try {
            long n = Long.parseLong(requireValue(option, value));
            if (n >= 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " needs a non-negative whole number, not " + value);
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("JobRunner: " + problem);
        System.err.println("usage: JobRunner --tools DIR [--jobs FILE] [--rounds N] [--drain-ms N]");
        System.exit(2);
    }
}
