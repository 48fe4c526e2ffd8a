package io.execguard.agent.emit;

/**
 * The agent's event counters over JMX, as {@code io.execguard:type=AgentEvents}: what monitoring reads to see
 * that events were dropped (queue full, output unavailable) rather than never produced.
 */
public interface AgentEventsMXBean {
    /** Events the agent produced. */
    long getOfferedEvents();

    /** Events written to the output. */
    long getWrittenEvents();

    /** Events dropped and counted. */
    long getDroppedEvents();
}
