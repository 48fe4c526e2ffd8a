package io.execguard.sidecar.audit.source;

/** Receives complete lines from a log source; the bytes are only valid during the call. */
public interface LineSink {
    /** One line without its newline, in {@code buf[off, off+len)}. */
    void line(byte[] buf, int off, int len);

    /** Nothing new arrived for a poll interval: the place to flush events that wait for more records. */
    default void idle() {
    }
}
