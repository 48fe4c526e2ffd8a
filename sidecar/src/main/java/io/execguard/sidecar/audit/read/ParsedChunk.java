package io.execguard.sidecar.audit.read;

import io.execguard.sidecar.audit.exec.ExecFailureExtractor;
import io.execguard.sidecar.audit.parse.AuditRecord;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.parse.MalformedRecordException;
import io.execguard.sidecar.audit.parse.RecordType;
import io.execguard.sidecar.audit.source.LineSink;
import io.execguard.sidecar.audit.source.Lines;
import java.util.Arrays;

/**
 * The records of one chunk of an audit log, parsed on a pool thread: every line of the chunk in order, with, for
 * each SYSCALL record, whether it is a failed exec (the test the reassembler needs, which splits the record's
 * fields - done here, off the thread that reassembles). Records refer to the chunk's bytes, which are never
 * written again once handed over, instead of copying them. Malformed lines are counted and the first one kept with
 * its line number within the chunk.
 */
final class ParsedChunk implements LineSink {
    private static final AuditRecordParser PARSER = new AuditRecordParser();

    private AuditRecord[] records = new AuditRecord[4096];
    private boolean[] failedExec = new boolean[4096];
    private int size;
    private int lines;
    private int malformed;
    private int firstErrorLine;
    private String firstError;

    /** The chunk's bytes: records parsed from them refer to them instead of copying. */
    private final byte[] chunk;

    private ParsedChunk(byte[] chunk) {
        this.chunk = chunk;
    }

    /**
     * Parses {@code buf[0, len)}: whole lines, except that the last one may lack its newline when {@code last} is
     * true (the end of the file) or when the chunk holds no newline at all (a line longer than a chunk, which is
     * cut as {@link Lines} cuts it).
     */
    static ParsedChunk parse(byte[] buf, int len) {
        ParsedChunk c = new ParsedChunk(buf);
        Lines splitter = new Lines();
        splitter.feed(buf, 0, len, c);
        splitter.finish(c);
        return c;
    }

    @Override
    public void line(byte[] buf, int off, int len) {
        lines++;
        if (len == 0) {
            return;
        }
        AuditRecord r;
        try {
            // A line cut out of the splitter's own buffer (the last one, or an overlong one) is copied.
            r = buf == chunk ? PARSER.parseLogLineInPlace(buf, off, len) : PARSER.parseLogLine(buf, off, len);
        } catch (MalformedRecordException e) {
            if (malformed++ == 0) {
                firstErrorLine = lines;
                firstError = e.getMessage();
            }
            return;
        }
        if (size == records.length) {
            records = Arrays.copyOf(records, size * 2);
            failedExec = Arrays.copyOf(failedExec, size * 2);
        }
        failedExec[size] = r.type() == RecordType.SYSCALL && ExecFailureExtractor.isFailedExec(r);
        records[size++] = r;
    }

    int size() {
        return size;
    }

    AuditRecord record(int i) {
        return records[i];
    }

    boolean failedExec(int i) {
        return failedExec[i];
    }

    /** Lines in the chunk, empty ones included. */
    int lines() {
        return lines;
    }

    int malformed() {
        return malformed;
    }

    /** 1-based line number of the first malformed line within the chunk; 0 when there is none. */
    int firstErrorLine() {
        return firstErrorLine;
    }

    String firstError() {
        return firstError;
    }
}
