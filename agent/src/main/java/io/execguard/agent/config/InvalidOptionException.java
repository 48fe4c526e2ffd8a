package io.execguard.agent.config;

/** A user error in the agent's options; the message is one sentence that names the option and what is allowed. */
public final class InvalidOptionException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String message) {
        super(message);
    }
}
