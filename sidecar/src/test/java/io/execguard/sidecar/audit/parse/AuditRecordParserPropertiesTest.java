package io.execguard.sidecar.audit.parse;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.testing.RecordedAuditEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The parser on hostile input: recorded audit lines truncated anywhere, with bytes replaced, inserted or deleted
 * (quotes, {@code =}, spaces, NUL, the ENRICHED separator 0x1D, newlines, Latin-1 high bytes), and pure byte soup.
 * Each input either parses or is refused with {@link MalformedRecordException}; a record that parsed can have every
 * field read without an exception. Intact recorded lines survive a print-and-parse round trip unchanged.
 */
class AuditRecordParserPropertiesTest {
    private static final List<String> LINES = RecordedAuditEvents.allLogLines();
    private static final byte[] SPECIAL = {'"', '=', ' ', 0, 0x1d, '\n', '\r', '(', ')', ':', '.', '\'', 'x',
            (byte) 0xff, (byte) 0xe9, '0', '9', 'A', 'F'};
    private final AuditRecordParser parser = new AuditRecordParser();

    @Provide
    Arbitrary<byte[]> mutatedLine() {
        Arbitrary<Integer> line = Arbitraries.integers().between(0, LINES.size() - 1);
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 900), Arbitraries.integers().between(0, SPECIAL.length - 1))
                .as((kind, at, what) -> new int[] {kind, at, what}).list().ofMaxSize(6);
        Arbitrary<Boolean> node = Arbitraries.of(true, false);
        Arbitrary<Boolean> enriched = Arbitraries.of(true, false);
        return Combinators.combine(line, edits, node, enriched).as((i, e, n, en) -> mutate(i, e, n, en));
    }

    private static byte[] mutate(int index, List<int[]> edits, boolean node, boolean enriched) {
        String text = (node ? "node=web-1 " : "") + LINES.get(index)
                + (enriched ? "\u001dARCH=x86_64 SYSCALL=execve AUID=\"unset\" UID=\"root\"" : "");
        StringBuilder b = new StringBuilder(text);
        for (int[] edit : edits) {
            int at = Math.min(edit[1], b.length());
            char c = (char) (SPECIAL[edit[2]] & 0xff);
            switch (edit[0]) {
                case 0: // truncate
                    b.setLength(at);
                    break;
                case 1: // insert
                    b.insert(at, c);
                    break;
                case 2: // replace
                    if (at < b.length()) {
                        b.setCharAt(at, c);
                    }
                    break;
                default: // delete
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                    break;
            }
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Property(tries = 3000)
    void mutatedLogLinesParseOrAreRefused(@ForAll("mutatedLine") byte[] line) {
        try {
            readEverything(parser.parseLogLine(line, 0, line.length));
        } catch (MalformedRecordException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
        }
    }

    /**
     * A line parsed in place inside a bigger buffer, with hostile bytes on both sides, reads exactly what the same
     * line parsed from a copy reads: nothing before or after the line leaks into a field.
     */
    @Property(tries = 1500)
    void inPlaceParsingSeesOnlyItsLine(@ForAll("mutatedLine") byte[] line, @ForAll @Size(max = 40) byte[] before,
            @ForAll @Size(max = 40) byte[] after) {
        byte[] buf = new byte[before.length + line.length + after.length];
        System.arraycopy(before, 0, buf, 0, before.length);
        System.arraycopy(line, 0, buf, before.length, line.length);
        System.arraycopy(after, 0, buf, before.length + line.length, after.length);
        AuditRecord copied;
        try {
            copied = parser.parseLogLine(line, 0, line.length);
        } catch (MalformedRecordException e) {
            assertThrows(MalformedRecordException.class,
                    () -> parser.parseLogLineInPlace(buf, before.length, line.length));
            return;
        }
        AuditRecord inPlace = assertDoesNotThrow(() -> parser.parseLogLineInPlace(buf, before.length, line.length));
        assertEquals(copied.toString(), inPlace.toString());
        assertEquals(copied.fields(), inPlace.fields());
        assertEquals(copied.enrichedFields(), inPlace.enrichedFields());
        assertTrue(copied.sameAs(inPlace) && inPlace.sameAs(copied));
        assertEquals(copied.rawContains(" success=no "), inPlace.rawContains(" success=no "));
    }

    @Property(tries = 1500)
    void mutatedNetlinkTextParsesOrIsRefused(@ForAll("mutatedLine") byte[] line,
            @ForAll("recordTypes") int type) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        int msg = text.indexOf("msg=");
        String body = msg < 0 ? text : text.substring(msg + 4);
        try {
            readEverything(parser.parseNetlink(type, body));
        } catch (MalformedRecordException expected) {
            // refused with a reason: the defined outcome for garbage
        }
    }

    @Property(tries = 1000)
    void byteSoup(@ForAll @Size(max = 600) byte[] soup) {
        for (byte[] candidate : new byte[][] {soup, concat("type=SYSCALL msg=audit(1.000:1): ", soup),
                concat("type=PATH msg=audit(1.000:1): name=", soup)}) {
            try {
                readEverything(parser.parseLogLine(candidate, 0, candidate.length));
            } catch (MalformedRecordException expected) {
                // refused with a reason
            }
        }
    }

    @Property(tries = 200)
    void intactLinesRoundTrip(@ForAll("lineIndex") int index) throws MalformedRecordException {
        AuditRecord r = parser.parseLogLine(LINES.get(index));
        AuditRecord again = parser.parseLogLine(r.toString());
        assertTrue(r.sameAs(again), r + " printed and parsed again");
        assertEquals(r.fields(), again.fields());
    }

    @Provide
    Arbitrary<Integer> lineIndex() {
        return Arbitraries.integers().between(0, LINES.size() - 1);
    }

    @Provide
    Arbitrary<Integer> recordTypes() {
        return Arbitraries.of(RecordType.SYSCALL, RecordType.PATH, RecordType.CWD, RecordType.EOE,
                RecordType.PROCTITLE, 1100, 1336, 1400, 2100);
    }

    /** Touches every accessor the pipeline uses; any exception other than the parser's own fails the property. */
    private static void readEverything(AuditRecord r) {
        Map<String, String> fields = r.fields();
        assertTrue(fields.size() <= r.fieldCount(), "a repeated key collapses in the map, nothing more: " + r);
        for (String key : fields.keySet()) {
            r.field(key);
            r.fieldBytes(key);
            r.number(key, 10, -1);
            r.number(key, 16, -1);
            r.rawEquals(key, "x");
        }
        r.enrichedFields().keySet().forEach(r::enriched);
        r.field("missing");
        r.node();
        r.toString();
    }

    private static byte[] concat(String prefix, byte[] tail) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[p.length + tail.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(tail, 0, out, p.length, tail.length);
        return out;
    }
}
