package io.execguard.agent.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J back-end of the agent's own, relocated copy of SLF4J (the core library logs through SLF4J). Without it
 * that copy would print "No SLF4J providers were found" into the application's stderr; with it, warnings and errors
 * of the agent's code become the agent's single warning line, and nothing else is printed. The application's own
 * SLF4J, logback and their configuration files are never touched: after relocation this class and the API it
 * implements live under the agent's package.
 */
public final class AgentLoggerProvider implements SLF4JServiceProvider {
    private final ILoggerFactory loggerFactory = name -> new AgentLogger(name);
    private final IMarkerFactory markerFactory = new BasicMarkerFactory();
    private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // Nothing to configure: the agent reads no logging configuration.
    }
}
