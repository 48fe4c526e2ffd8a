package io.execguard.sidecar.output;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import io.execguard.core.event.output.OutputSpec;
import io.execguard.core.event.pipeline.EventSink;
import io.execguard.core.event.pipeline.Slf4jEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Routes the event stream (logger {@value Slf4jEventSink#LOGGER_NAME}) to where {@code --output} says, through
 * logback, and returns the {@link EventSink} to put in the event pipeline.
 *
 * <p>Precedence, highest first:
 * <ol>
 *   <li>{@code -Dlogback.configurationFile=PATH}: logback configured itself from it at start-up; nothing is
 *       changed and {@code --output} is ignored.</li>
 *   <li>{@value #CONFIG_ENV}{@code =PATH}: that logback.xml replaces the whole configuration;
 *       {@code --output} is ignored.</li>
 *   <li>otherwise {@code --output}: {@code stdout}, {@code stderr}, or {@code file:PATH} - a size-rolled file
 *       ({@value #DEFAULT_MAX_FILE_SIZE} per file, {@value #DEFAULT_BACKUPS} older files kept as
 *       {@code PATH.1} ... {@code PATH.5}, newest first). The pattern is the message and a newline: exactly one
 *       JSON object per line.</li>
 * </ol>
 * A user configuration must route logger {@code execguard.events} itself, with pattern {@code %msg%n} to keep the
 * lines valid JSON. execguard's own diagnostics (logger {@code execguard.pipeline} and others) keep going to
 * the root logger: stderr in the bundled configuration.
 */
public final class LogbackEventOutput {
    /** Environment variable naming a logback.xml that replaces execguard's logging configuration. */
    public static final String CONFIG_ENV = "EXECGUARD_LOGBACK_CONFIG";
    /** The system property logback itself reads at start-up. */
    public static final String CONFIG_PROPERTY = "logback.configurationFile";
    /** Size at which the event file rolls over. */
    public static final String DEFAULT_MAX_FILE_SIZE = "64MB";
    /** Rolled-over event files kept. */
    public static final int DEFAULT_BACKUPS = 5;

    private static final String APPENDER_NAME = "execguard-events";
    private static final long SIZE_CHECK_MILLIS = 1000;

    private LogbackEventOutput() {
    }

    /**
     * Configures logback for {@code spec} (unless the user supplied a configuration) and returns the sink.
     *
     * @throws IllegalArgumentException with one sentence when the user configuration or the event file cannot
     *     be used
     */
    public static EventSink configure(OutputSpec spec) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return configure(spec, System.getenv(), System.getProperty(CONFIG_PROPERTY), context,
                DEFAULT_MAX_FILE_SIZE, SIZE_CHECK_MILLIS);
    }

    /**
     * @param sizeCheckMillis how often the file size is compared with the limit; logback's default of 60 s lets a
     *     flood overshoot the limit by a minute of events
     */
    static EventSink configure(OutputSpec spec, Map<String, String> env, String configProperty,
                               LoggerContext context, String maxFileSize, long sizeCheckMillis) {
        if (configProperty != null && !configProperty.isBlank()) {
            return sink(context);
        }
        String userConfig = env.get(CONFIG_ENV);
        if (userConfig != null && !userConfig.isBlank()) {
            applyUserConfig(Path.of(userConfig.trim()), context);
            return sink(context);
        }
        Logger events = context.getLogger(Slf4jEventSink.LOGGER_NAME);
        Appender<ILoggingEvent> appender = appender(spec, context, maxFileSize, sizeCheckMillis);
        events.detachAndStopAllAppenders();
        events.setAdditive(false);
        events.setLevel(Level.INFO);
        events.addAppender(appender);
        return sink(context);
    }

    private static EventSink sink(LoggerContext context) {
        return new Slf4jEventSink(context.getLogger(Slf4jEventSink.LOGGER_NAME));
    }

    private static void applyUserConfig(Path file, LoggerContext context) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(CONFIG_ENV + " names " + file + ", which cannot be read");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(file.toFile());
        } catch (JoranException e) {
            throw new IllegalArgumentException("logback configuration " + file + " is invalid: " + e.getMessage(), e);
        }
        Optional<Status> error = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getEffectiveLevel() == Status.ERROR).findFirst();
        if (error.isPresent()) {
            throw new IllegalArgumentException("logback configuration " + file + " is invalid: "
                    + error.get().getMessage());
        }
    }

    private static Appender<ILoggingEvent> appender(OutputSpec spec, LoggerContext context, String maxFileSize,
                                                    long sizeCheckMillis) {
        OutputStreamAppender<ILoggingEvent> appender;
        switch (spec.kind()) {
            case FILE:
                appender = rollingFile(spec.file().orElseThrow(), context, maxFileSize, sizeCheckMillis);
                break;
            case STDERR:
                appender = console("System.err");
                break;
            default:
                appender = console("System.out");
                break;
        }
        appender.setName(APPENDER_NAME);
        appender.setContext(context);
        appender.setEncoder(messageOnly(context));
        appender.start();
        if (!appender.isStarted()) {
            throw new IllegalArgumentException("cannot write events to " + spec + ": the log appender did not start");
        }
        return appender;
    }

    private static ConsoleAppender<ILoggingEvent> console(String target) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget(target);
        return console;
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(Path file, LoggerContext context,
                                                                  String maxFileSize, long sizeCheckMillis) {
        checkWritable(file);
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setAppend(true);

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(DEFAULT_BACKUPS);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf(maxFileSize));
        trigger.setCheckIncrement(Duration.buildByMilliseconds(sizeCheckMillis));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        return appender;
    }

    /** Logback reports an unwritable file only through its status list; users deserve a sentence and an exit. */
    private static void checkWritable(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.flush();
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write events to " + file + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String name = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? name : name + " (" + e.getMessage() + ")";
    }

    private static PatternLayoutEncoder messageOnly(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        return encoder;
    }
}
