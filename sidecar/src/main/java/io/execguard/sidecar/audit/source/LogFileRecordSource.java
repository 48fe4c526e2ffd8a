package io.execguard.sidecar.audit.source;

import io.execguard.core.event.EventSource;
import io.execguard.sidecar.audit.parse.AuditRecord;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.parse.MalformedRecordException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Records from an audit log that auditd is writing, followed across rotation ({@link AuditLogFollower}). */
public final class LogFileRecordSource implements AuditRecordSource {
    /** How often an idle log is looked at: the latency a tailing reader adds. */
    private static final long IDLE_SLEEP_MILLIS = 10;

    private final Path path;
    private final AuditLogFollower follower;
    private final AuditRecordParser parser = new AuditRecordParser();
    private Consumer<AuditRecord> sink;
    private Runnable malformed;

    /** Opens the log (when it exists) and fixes the starting point at once. */
    public LogFileRecordSource(Path path, boolean fromStart) throws IOException {
        this.path = path;
        this.follower = new AuditLogFollower(path, fromStart, new LineSink() {
            @Override
            public void line(byte[] buf, int off, int len) {
                if (len == 0) {
                    return;
                }
                try {
                    sink.accept(parser.parseLogLine(buf, off, len));
                } catch (MalformedRecordException e) {
                    malformed.run();
                }
            }
        });
        follower.begin();
    }

    @Override
    public void poll(Duration timeout, Consumer<AuditRecord> sink, Runnable malformed) throws IOException {
        this.sink = sink;
        this.malformed = malformed;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!follower.poll()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(left, IDLE_SLEEP_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String type() {
        return EventSource.AUDIT_LOG;
    }

    @Override
    public long rotationLosses() {
        return follower.possibleLosses();
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        follower.close();
    }
}
