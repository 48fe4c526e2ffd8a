package io.execguard.sidecar.audit.parse;

/** A line or datagram that is not an audit record; the message says what was wrong, for the skipped-lines log. */
public final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String message) {
        super(message);
    }
}
