package io.execguard.agent.hook;

import io.execguard.agent.config.AgentOptions;
import io.execguard.agent.config.DenyRule;
import io.execguard.agent.config.Mode;
import io.execguard.agent.emit.AgentEventStream;
import io.execguard.agent.emit.EventFactory;
import io.execguard.agent.explain.CallSite;
import io.execguard.agent.explain.ExecExplanation;
import io.execguard.agent.explain.Explanations;
import io.execguard.agent.jdk.ExecErrorFormat;
import io.execguard.agent.jdk.Launcher;
import io.execguard.agent.resolve.ExecutableResolver;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.Errno;
import io.execguard.core.diagnose.ObservedFailure;
import io.execguard.core.event.EventAction;
import io.execguard.core.event.ExecEvent;
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
 *
 * <p>The success path - a healthy program - is what every exec pays. A command whose whole check found nothing to
 * report on a settled file (see {@link Diagnoser}) is trusted for {@link AgentOptions#recheck()} without looking
 * at its file again ({@link TrustedCommands}): no {@code stat}, no PATH search, no system call at all. A program
 * exec'd in a loop therefore costs one look a second rather than one per exec. The price is a window: a file
 * replaced within that time by one the kernel refuses with ENOEXEC is run through the shell fallback unreported
 * (observe mode) until the window ends. Enforce mode looks at every exec unless told otherwise, and a failed exec
 * is always diagnosed afresh and drops its command's trust.
 */
final class ExecGuard {
    private final AgentOptions options;
    private final Diagnoser diagnoser;
    private final ExecutableResolver resolver;
    private final Supplier<Launcher> launcherFactory;
    private final ExecErrorFormat format;
    private volatile Launcher launcher;
    private volatile EventFactory events;
    private final Supplier<AgentEventStream> streamFactory;
    /** The refusal this thread just made, so that the failure hook reports it as blocked rather than failed. */
    private final ThreadLocal<Refusal> refusal = new ThreadLocal<>();
    private volatile AgentEventStream stream;
    private final TrustedCommands trusted;

    ExecGuard(AgentOptions options, Diagnoser diagnoser, ExecutableResolver resolver,
              Supplier<Launcher> launcherFactory, ExecErrorFormat format, Supplier<AgentEventStream> streamFactory) {
        this(options, diagnoser, resolver, launcherFactory, format, streamFactory,
                new TrustedCommands(options.recheck(), null));
    }

    /** With the trusted commands the interceptor consults before calling {@link #check}. */
    ExecGuard(AgentOptions options, Diagnoser diagnoser, ExecutableResolver resolver,
              Supplier<Launcher> launcherFactory, ExecErrorFormat format, Supplier<AgentEventStream> streamFactory,
              TrustedCommands trusted) {
        this.trusted = trusted;
        this.options = options;
        this.diagnoser = diagnoser;
        this.resolver = resolver;
        this.launcherFactory = launcherFactory;
        this.format = format;
        this.streamFactory = streamFactory;
    }

    static ExecGuard create(AgentOptions options, TrustedCommands trusted) {
        String path = System.getenv("PATH");
        return new ExecGuard(options, new Diagnoser(new HostEngine(), path),
                ExecutableResolver.forThisJvm(), new CurrentLauncher(), ExecErrorFormat.current(),
                new EventStreamFactory(options), trusted);
    }

    /** Runs the per-exec check once on the JVM's own launcher, so that its code is loaded before the first exec. */
    void warmUp() {
        diagnoser.diagnoseIfSuspect(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** Returns the exception to throw instead of starting {@code cmdarray}, or null to let the JDK go ahead. */
    Throwable beforeStart(String[] cmdarray, String dir) {
        return trusted.trusted(cmdarray, dir) ? null : check(cmdarray, dir);
    }

    /** The whole check before the fork: the exception to throw instead of starting {@code cmdarray}, or null. */
    Throwable check(String[] cmdarray, String dir) {
        if (refusal.get() != null) {
            refusal.remove();
        }
        trusted.revoke(cmdarray[0], dir); // due or unknown: trusted again only if this check passes
        long checkedAt = trusted.now();
        Optional<Path> resolved = resolver.resolve(cmdarray[0], dir);
        if (!resolved.isPresent()) {
            return null;
        }
        Path file = resolved.get();
        if (options.mode() == Mode.ENFORCE) {
            Optional<DenyRule> rule = matchingPathRule(file);
            if (rule.isPresent()) {
                String text = Explanations.policyRefused(cmdarray[0], file.toString(), rule.get().toString());
                return refuse(file, Errno.EACCES, null, text, rule.get().toString());
            }
        }
        Diagnoser.Verdict verdict = diagnoser.check(file);
        Optional<Diagnosis> diagnosis = verdict.suspect();
        if (!diagnosis.isPresent()) {
            if (verdict.settled()) {
                trusted.trust(cmdarray[0], dir, checkedAt);
            }
            return null;
        }
        if (diagnosis.get().errno().orElse(null) != Errno.ENOEXEC || !launcher().fallsBackToShell(true)) {
            return null;
        }
        Diagnosis d = diagnosis.get();
        if (options.mode() == Mode.ENFORCE && options.denies(DenyRule.Kind.SHELL_FALLBACK)) {
            String text = Explanations.shellFallbackRefused(cmdarray[0], Optional.of(file.toString()), d);
            return refuse(file, Errno.ENOEXEC, d, text, DenyRule.shellFallback().toString());
        }
        String wouldHaveSeen = cannotRun(cmdarray[0], dir, format.format(Errno.ENOEXEC.number(),
                Errno.ENOEXEC.message()));
        emit(EventAction.EXEC_SHELL_FALLBACK, Arrays.asList(cmdarray), dir, Optional.of(file.toString()),
                Optional.of(d), Errno.ENOEXEC.name(), wouldHaveSeen, Optional.empty());
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
        if (!command.isEmpty()) {
            trusted.revoke(command.get(0), dir);
        }
        if (r != null && thrown.getCause() == r.exception) {
            attach(thrown, r.explanation);
            emit(EventAction.EXEC_BLOCKED, command, dir, Optional.of(r.target), r.diagnosis, r.errno.name(),
                    thrown.getMessage(), Optional.of(r.rule));
            return;
        }
        Throwable jdkError = thrown.getCause() instanceof IOException ? thrown.getCause() : thrown;
        OptionalInt errno = ExecErrorFormat.errnoOf(jdkError.getMessage());
        if (!errno.isPresent() || command.isEmpty()) {
            return;
        }
        Optional<Path> resolved = resolver.resolve(command.get(0), dir);
        Diagnosis file = diagnose(command.get(0), resolved, dir);
        // What the kernel said wins over what the file says: a program open for writing (ETXTBSY) may be fine.
        Diagnosis d = Errno.ofNumber(errno.getAsInt()).map(e -> ObservedFailure.reconcile(file, e)).orElse(file);
        attach(thrown, Explanations.failure(command.get(0), resolved.map(Path::toString), d));
        String code = Errno.ofNumber(errno.getAsInt()).map(Enum::name).orElse("errno " + errno.getAsInt());
        emit(EventAction.EXEC_FAILED, command, dir, resolved.map(Path::toString), Optional.of(d), code,
                thrown.getMessage(), Optional.empty());
    }

    /** Number of trusted commands (for tests). */
    int trustedCommands() {
        return trusted.size();
    }

    private Diagnosis diagnose(String command, Optional<Path> resolved, String dir) {
        if (resolved.isPresent()) {
            return diagnoser.diagnose(resolved.get().toString(), "/");
        }
        Diagnosis d = diagnoser.diagnose(command, resolver.childWorkingDirectory(dir).toString());
        return d.toBuilder().summary("No file named \"" + command + "\" in any directory of the JVM's PATH ("
                + System.getenv("PATH") + ").").build();
    }

    private Throwable refuse(Path file, Errno errno, Diagnosis d, String explanation, String rule) {
        IOException exception = new IOException(format.format(errno.number(), errno.message()));
        refusal.set(new Refusal(exception, errno, explanation, file.toString(), Optional.ofNullable(d), rule));
        return exception;
    }

    private Optional<DenyRule> matchingPathRule(Path file) {
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

    /** The directory that really holds the file (symlinks followed) is writable by others. */
    private static boolean inWorldWritableDirectory(Path file) {
        try {
            Path dir = file.toRealPath().getParent();
            return dir != null && Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // a file that cannot be resolved fails to exec by itself
        }
    }


    private void attach(Throwable thrown, String explanation) {
        if (options.explain()) {
            thrown.addSuppressed(new ExecExplanation(explanation));
        }
    }

    private void emit(EventAction action, List<String> command, String dir, Optional<String> target,
                      Optional<Diagnosis> diagnosis, String errorCode, String message, Optional<String> rule) {
        ExecEvent event = events().create(action, command, resolver.childWorkingDirectory(dir).toString(), target,
                diagnosis, errorCode, message, CallSite.ofCurrentThread(), rule);
        stream().emit(event);
    }

    // Created on first need: only a suspect file needs the launcher facts, only a report needs the event factory.

    private Launcher launcher() {
        Launcher l = launcher;
        if (l == null) {
            l = launcherFactory.get();
            launcher = l;
        }
        return l;
    }

    private EventFactory events() {
        EventFactory e = events;
        if (e == null) {
            e = new EventFactory(options.mode().name().toLowerCase(Locale.ROOT), launcher().toString());
            events = e;
        }
        return e;
    }

    private AgentEventStream stream() {
        AgentEventStream s = stream;
        if (s == null) {
            synchronized (this) {
                s = stream;
                if (s == null) {
                    s = streamFactory.get();
                    stream = s;
                }
            }
        }
        return s;
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
        final String target;
        final Optional<Diagnosis> diagnosis;
        final String rule;

        Refusal(IOException exception, Errno errno, String explanation, String target,
                Optional<Diagnosis> diagnosis, String rule) {
            this.exception = exception;
            this.errno = errno;
            this.explanation = explanation;
            this.target = target;
            this.diagnosis = diagnosis;
            this.rule = rule;
        }
    }

    // Named suppliers rather than lambdas: this runs on the way to the first exec (see ExecInterceptor).

    private static final class HostEngine implements Supplier<DiagnosisEngine> {
        @Override
        public DiagnosisEngine get() {
            return DiagnosisEngine.forHost();
        }
    }

    private static final class CurrentLauncher implements Supplier<Launcher> {
        @Override
        public Launcher get() {
            return Launcher.current();
        }
    }

    private static final class EventStreamFactory implements Supplier<AgentEventStream> {
        private final AgentOptions options;

        EventStreamFactory(AgentOptions options) {
            this.options = options;
        }

        @Override
        public AgentEventStream get() {
            return AgentEventStream.start(options.output());
        }
    }
}
