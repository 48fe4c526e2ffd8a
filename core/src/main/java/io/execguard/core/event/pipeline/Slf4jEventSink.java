package io.execguard.core.event.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default sink: logs each JSON line as the message of an INFO record on logger {@value #LOGGER_NAME}, so
 * the logging back-end (logback in the sidecar, the agent's relocated copy) decides where lines go.
 */
public final class Slf4jEventSink implements EventSink {
    /** The logger every event goes to. */
    public static final String LOGGER_NAME = "execguard.events";

    private final Logger logger;

    public Slf4jEventSink() {
        this(LoggerFactory.getLogger(LOGGER_NAME));
    }

    public Slf4jEventSink(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void write(String jsonLine) {
        logger.info(jsonLine);
    }
}
