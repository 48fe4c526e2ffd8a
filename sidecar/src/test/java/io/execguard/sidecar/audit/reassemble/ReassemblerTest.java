package io.execguard.sidecar.audit.reassemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.parse.AuditRecord;
import io.execguard.sidecar.audit.parse.AuditRecordParser;
import io.execguard.sidecar.audit.parse.RecordType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
    private static final long MS = 1_000_000L;
    private final AuditRecordParser parser = new AuditRecordParser();
    private final List<AuditEvent> out = new ArrayList<>();
    private final Reassembler reassembler = new Reassembler(out::add, Duration.ofMillis(100), 3);

    private AuditRecord rec(int type, long serial, String fields) throws Exception {
        return parser.parseNetlink(type, "audit(1795718255.067:" + serial + "): " + fields);
    }

    private void event(long serial, long now) throws Exception {
        reassembler.push(rec(RecordType.SYSCALL, serial, "syscall=59 success=no exit=-8"), now);
        reassembler.push(rec(RecordType.CWD, serial, "cwd=\"/\""), now);
        reassembler.push(rec(RecordType.PATH, serial, "item=0 name=\"/x\""), now);
        reassembler.push(rec(RecordType.EOE, serial, ""), now);
    }

    @Test
    void completesOnEndOfEvent() throws Exception {
        event(10, 0);
        assertEquals(1, out.size());
        AuditEvent e = out.get(0);
        assertTrue(e.complete());
        assertEquals(10, e.serial());
        assertEquals(3, e.records().size(), "EOE itself is not part of the event");
        assertTrue(e.first(RecordType.PATH).isPresent());
        assertEquals(0, reassembler.inFlight());
    }

    /**
     * Records parsed in place from a chunk of a log, detached while their event waits for its end: the chunk can
     * then be reused or overwritten without changing the event that comes out.
     */
    @Test
    void detachedPendingRecordsNoLongerDependOnTheirChunk() throws Exception {
        String text = "type=SYSCALL msg=audit(1795718255.067:40): syscall=59 success=no exit=-8 comm=\"sh\"\n"
                + "type=PATH msg=audit(1795718255.067:40): item=0 name=\"/opt/tool\" inode=7\n";
        byte[] chunk = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int nl = text.indexOf('\n');
        reassembler.push(parser.parseLogLineInPlace(chunk, 0, nl), 0);
        reassembler.push(parser.parseLogLineInPlace(chunk, nl + 1, text.length() - nl - 2), 0);
        reassembler.detachPending();
        java.util.Arrays.fill(chunk, (byte) 'X'); // the chunk is gone
        reassembler.push(rec(RecordType.EOE, 40, ""), 0);
        assertEquals(1, out.size());
        AuditEvent e = out.get(0);
        assertEquals(java.util.Optional.of("sh"), e.first(RecordType.SYSCALL).orElseThrow().field("comm"));
        assertEquals(java.util.Optional.of("/opt/tool"), e.first(RecordType.PATH).orElseThrow().field("name"));
        assertEquals(7, e.first(RecordType.PATH).orElseThrow().number("inode", 10, -1));
    }

    @Test
    void interleavedEventsFromTwoCpusAreSeparated() throws Exception {
        reassembler.push(rec(RecordType.SYSCALL, 1, "pid=1"), 0);
        reassembler.push(rec(RecordType.SYSCALL, 2, "pid=2"), 0);
        reassembler.push(rec(RecordType.CWD, 1, "cwd=\"/a\""), 0);
        reassembler.push(rec(RecordType.CWD, 2, "cwd=\"/b\""), 0);
        reassembler.push(rec(RecordType.EOE, 2, ""), 0);
        reassembler.push(rec(RecordType.EOE, 1, ""), 0);
        assertEquals(2, out.size());
        assertEquals(2, out.get(0).serial());
        assertEquals("/b", out.get(0).first(RecordType.CWD).orElseThrow().field("cwd").orElseThrow());
        assertEquals("/a", out.get(1).first(RecordType.CWD).orElseThrow().field("cwd").orElseThrow());
        assertEquals(0, reassembler.stats().lostEvents());
    }

    @Test
    void timeoutFlushesIncompleteEvents() throws Exception {
        reassembler.push(rec(RecordType.SYSCALL, 5, "pid=1"), 0);
        reassembler.expire(50 * MS);
        assertTrue(out.isEmpty());
        reassembler.expire(100 * MS);
        assertEquals(1, out.size());
        assertFalse(out.get(0).complete());
        assertEquals(1, reassembler.stats().incompleteEvents());
    }

    @Test
    void inFlightBoundEvictsTheOldest() throws Exception {
        for (int s = 1; s <= 4; s++) {
            reassembler.push(rec(RecordType.SYSCALL, s, "pid=" + s), 0);
        }
        assertEquals(1, out.size());
        assertEquals(1, out.get(0).serial());
        assertEquals(1, reassembler.stats().evictedForBound());
        assertEquals(3, reassembler.inFlight());
    }

    @Test
    void gapsThatStayOpenCountAsLostAndLateArrivalsDoNot() throws Exception {
        event(1, 0);
        event(4, 0); // 2 and 3 missing so far
        event(3, 10 * MS); // 3 arrives late
        reassembler.expire(50 * MS);
        assertEquals(0, reassembler.stats().lostEvents());
        reassembler.expire(150 * MS);
        assertEquals(1, reassembler.stats().lostEvents(), "serial 2 never came");
        assertEquals(3, out.size());
    }

    @Test
    void serialResetIsNotALoss() throws Exception {
        event(5_000_000, 0);
        event(1, 0); // a reboot in the middle of a log
        event(2, 0);
        reassembler.flush();
        assertEquals(0, reassembler.stats().lostEvents());
    }

    @Test
    void duplicatesAreIgnored() throws Exception {
        event(7, 0);
        event(7, 0); // a re-delivered event
        reassembler.push(rec(RecordType.SYSCALL, 8, "pid=1"), 0);
        reassembler.push(rec(RecordType.SYSCALL, 8, "pid=1"), 0);
        reassembler.push(rec(RecordType.EOE, 8, ""), 0);
        assertEquals(2, out.size());
        assertEquals(1, out.get(1).records().size());
        assertEquals(5, reassembler.stats().duplicateRecords());
    }

    @Test
    void userSpaceMessagesAreEventsOnTheirOwn() throws Exception {
        reassembler.push(parser.parseLogLine("type=USER_CMD msg=audit(1.000:9): pid=1 uid=0 msg='x=y'"), 0);
        assertEquals(1, out.size());
        assertTrue(out.get(0).complete());
    }

    @Test
    void flushDeliversEverythingOpen() throws Exception {
        reassembler.push(rec(RecordType.SYSCALL, 1, "pid=1"), 0);
        reassembler.push(rec(RecordType.SYSCALL, 3, "pid=3"), 0);
        reassembler.flush();
        assertEquals(2, out.size());
        assertEquals(1, reassembler.stats().lostEvents());
        assertEquals(2, reassembler.stats().events());
    }
}
