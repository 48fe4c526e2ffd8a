package io.execguard.agent.hook;

import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.config.DenyRule;
import io.execguard.agent.config.Mode;
import io.execguard.agent.emit.AsyncEventSink;
import io.execguard.agent.emit.EventSink;
import io.execguard.agent.emit.ExecReport;
import io.execguard.agent.emit.ReportWriter;
import io.execguard.agent.explain.CallSite;
import io.execguard.agent.explain.ExecExplanation;
import io.execguard.agent.explain.Explanations;
import io.execguard.agent.jdk.ExecErrorFormat;
import io.execguard.agent.jdk.Launcher;
import io.execguard.agent.resolve.ExecutableResolver;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Decides about each exec and reports it. Before the fork: predicts the shell fallback after ENOEXEC (reported in
 * observe mode, refused in enforce mode) and applies the path and world-writable deny rules. After a failure:
 * diagnoses the file, attaches the explanation to the application's exception and reports {@code exec-failed}, or
 * {@code exec-blocked} when the failure is execguard's own refusal.
 */
final class ExecGuard {
    private final AgentOptions options;
    private final Diagnoser diagnoser;
    private final ExecutableResolver resolver;
    private final Launcher launcher;
    private final ExecErrorFormat format;
    private final Supplier<EventSink> sinkFactory;
    /** The refusal this thread just made, so that the failure hook reports it as blocked rather than failed. */
    private final ThreadLocal<Refusal> refusal = new ThreadLocal<>();
    private volatile EventSink sink;

    ExecGuard(AgentOptions options, Diagnoser diagnoser, ExecutableResolver resolver, Launcher launcher,
              ExecErrorFormat format, Supplier<EventSink> sinkFactory) {
        this.options = options;
        this.diagnoser = diagnoser;
        this.resolver = resolver;
        this.launcher = launcher;
        this.format = format;
        this.sinkFactory = sinkFactory;
    }

    static ExecGuard create(AgentOptions options) {
        String path = System.getenv("PATH");
        String mode = options.mode().name().toLowerCase(Locale.ROOT);
        return new ExecGuard(options, new Diagnoser(DiagnosisEngine.forHost(), path),
                ExecutableResolver.forThisJvm(), Launcher.current(), ExecErrorFormat.current(),
                () -> AsyncEventSink.start(new ReportWriter(options.output(), mode)));
    }

    /** Returns the exception to throw instead of starting {@code cmdarray}, or null to let the JDK go ahead. */
    Throwable beforeStart(String[] cmdarray, String dir) throws IOException {
        refusal.remove();
        Optional<Path> resolved = resolver.resolve(cmdarray[0], dir);
        if (!resolved.isPresent()) {
            return null;
        }
        Path file = resolved.get();
        if (options.mode() == Mode.ENFORCE) {
            Optional<DenyRule> rule = matchingPathRule(file);
            if (rule.isPresent()) {
                return refuse(cmdarray, dir, file, Errno.EACCES, null, Explanations.policyRefused(cmdarray[0], file.toString(),
                        rule.get().toString()), rule.get().toString());
            }
        }
        Optional<Diagnosis> diagnosis = diagnoser.diagnoseExisting(file);
        if (!diagnosis.isPresent() || diagnosis.get().errno().orElse(null) != Errno.ENOEXEC
                || !launcher.fallsBackToShell(true)) {
            return null;
        }
        Diagnosis d = diagnosis.get();
        if (options.mode() == Mode.ENFORCE && options.denies(DenyRule.Kind.SHELL_FALLBACK)) {
            return refuse(cmdarray, dir, file, Errno.ENOEXEC, d, Explanations.shellFallbackRefused(cmdarray[0],
                    Optional.of(file.toString()), d), DenyRule.shellFallback().toString());
        }
        String wouldHaveSeen = cannotRun(cmdarray[0], dir, format.format(Errno.ENOEXEC.number(),
                Errno.ENOEXEC.message()));
        emit(report(ExecReport.Action.EXEC_SHELL_FALLBACK, Arrays.asList(cmdarray), dir)
                .resolvedPath(file.toString()).diagnosis(d).error(Errno.ENOEXEC.name(), wouldHaveSeen));
        return null;
    }

    /** Explains and reports the exception {@code ProcessBuilder.start} is about to throw. */
    void afterFailure(ProcessBuilder builder, Throwable thrown) {
        Refusal r = refusal.get();
        refusal.remove();
        if (!(thrown instanceof IOException)) {
            return;
        }
        List<String> command = builder.command();
        String dir = builder.directory() == null ? null : builder.directory().toString();
        if (r != null && thrown.getCause() == r.exception) {
            attach(thrown, r.explanation);
            emit(r.report.error(r.errno.name(), thrown.getMessage()));
            return;
        }
        Throwable jdkError = thrown.getCause() instanceof IOException ? thrown.getCause() : thrown;
        OptionalInt errno = ExecErrorFormat.errnoOf(jdkError.getMessage());
        if (!errno.isPresent() || command.isEmpty()) {
            return;
        }
        Optional<Path> resolved = resolver.resolve(command.get(0), dir);
        Diagnosis d = diagnose(command.get(0), resolved, dir);
        attach(thrown, Explanations.failure(command.get(0), resolved.map(Path::toString), d));
        String code = Errno.ofNumber(errno.getAsInt()).map(Enum::name).orElse("errno " + errno.getAsInt());
        emit(report(ExecReport.Action.EXEC_FAILED, command, dir).resolvedPath(resolved.map(Path::toString)
                .orElse(null)).diagnosis(d).error(code, thrown.getMessage()));
    }

    private Diagnosis diagnose(String command, Optional<Path> resolved, String dir) {
        if (resolved.isPresent()) {
            return diagnoser.diagnose(resolved.get().toString(), "/");
        }
        Diagnosis d = diagnoser.diagnose(command, resolver.childWorkingDirectory(dir).toString());
        return d.toBuilder().summary("No file named \"" + command + "\" in any directory of the JVM's PATH ("
                + System.getenv("PATH") + ").").build();
    }

    private Throwable refuse(String[] cmdarray, String dir, Path file, Errno errno, Diagnosis d,
                             String explanation, String rule) {
        IOException exception = new IOException(format.format(errno.number(), errno.message()));
        ExecReport.Builder report = report(ExecReport.Action.EXEC_BLOCKED, Arrays.asList(cmdarray), dir)
                .resolvedPath(file.toString()).denyRule(rule);
        if (d != null) {
            report.diagnosis(d);
        }
        refusal.set(new Refusal(exception, errno, explanation, report));
        return exception;
    }

    private Optional<DenyRule> matchingPathRule(Path file) throws IOException {
        for (DenyRule rule : options.deny()) {
            if (rule.kind() == DenyRule.Kind.PATH && rule.matchesPath(file)) {
                return Optional.of(rule);
            }
            if (rule.kind() == DenyRule.Kind.WORLD_WRITABLE && inWorldWritableDirectory(file)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static boolean inWorldWritableDirectory(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        Path dir = file.toRealPath().getParent();
        return dir != null && Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE);
    }

    private ExecReport.Builder report(ExecReport.Action action, List<String> command, String dir) {
        ExecReport.Builder b = ExecReport.builder(action, command, resolver.childWorkingDirectory(dir).toString());
        CallSite.ofCurrentThread().ifPresent(b::callSite);
        return b;
    }

    private void attach(Throwable thrown, String explanation) {
        if (options.explain()) {
            thrown.addSuppressed(new ExecExplanation(explanation));
        }
    }

    private void emit(ExecReport.Builder report) {
        EventSink s = sink;
        if (s == null) {
            synchronized (this) {
                s = sink;
                if (s == null) {
                    s = sinkFactory.get();
                    sink = s;
                }
            }
        }
        s.emit(report.build());
    }

    /** {@code ProcessBuilder}'s message around the JDK's exec error (the same on JDK 11 to 25). */
    static String cannotRun(String program, String dir, String jdkMessage) {
        return "Cannot run program \"" + program + "\"" + (dir == null ? "" : " (in directory \"" + dir + "\")")
                + ": " + jdkMessage;
    }

    /** A refusal made before the fork, waiting for the failure hook to see it wrapped by ProcessBuilder. */
    private static final class Refusal {
        final IOException exception;
        final Errno errno;
        final String explanation;
        final ExecReport.Builder report;

        Refusal(IOException exception, Errno errno, String explanation, ExecReport.Builder report) {
            this.exception = exception;
            this.errno = errno;
            this.explanation = explanation;
            this.report = report;
        }
    }
}
