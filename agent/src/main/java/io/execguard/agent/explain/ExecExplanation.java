package io.execguard.agent.explain;

/**
 * execguard's explanation of a failed or refused exec, attached to the JDK's {@code IOException} as a suppressed
 * exception: every logged stack trace then shows it, while the exception's own type, message and cause stay as the
 * JDK made them. Carries no stack trace of its own (the enclosing exception has the relevant one).
 */
public final class ExecExplanation extends Exception {
    private static final long serialVersionUID = 1L;

    public ExecExplanation(String message) {
        super(message, null, false, false);
    }
}
