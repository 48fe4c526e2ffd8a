package io.execguard.agent.emit;

/** Receives the agent's reports. Implementations never block the calling thread (the one attempting the exec). */
public interface EventSink {
    void emit(ExecReport report);

    /** Reports dropped because the queue was full or the destination failed. */
    long dropped();
}
