package io.execguard.agent.config;

/** What the agent does about an exec that its deny rules match. */
public enum Mode {
    /** Explain and report only; the application behaves exactly as without the agent. */
    OBSERVE,
    /** Refuse execs that a deny rule matches, with the exception the application would get from the kernel. */
    ENFORCE
}
