package io.execguard.sidecar.audit.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rotation tests on real files: every line written must come out exactly once, in order. */
class AuditLogFollowerTest {
    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private int idles;
    private final LineSink sink = new LineSink() {
        @Override
        public void line(byte[] buf, int off, int len) {
            lines.add(new String(buf, off, len, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void idle() {
            idles++;
        }
    };

    private static String record(int serial) {
        return "type=EOE msg=audit(1795718255.067:" + serial + "): ";
    }

    private static void append(Path log, int from, int to) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(record(i)).append('\n');
        }
        Files.writeString(log, sb, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static List<String> expected(int from, int to) {
        return IntStream.range(from, to).mapToObj(AuditLogFollowerTest::record).collect(Collectors.toList());
    }

    @Test
    void startsAtTheEndUnlessFromStart() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 10);
        try (AuditLogFollower f = new AuditLogFollower(log, false, sink)) {
            f.poll();
            assertTrue(lines.isEmpty());
            append(log, 10, 12);
            f.poll();
            assertEquals(expected(10, 12), lines);
        }
        lines.clear();
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            assertEquals(expected(0, 12), lines);
        }
    }

    @Test
    void waitsForAFileThatDoesNotExistYetAndSignalsIdle() throws IOException {
        Path log = dir.resolve("audit.log");
        try (AuditLogFollower f = new AuditLogFollower(log, false, sink)) {
            f.poll();
            assertEquals(1, idles);
            append(log, 0, 3); // created after we started: read from its start
            f.poll();
            f.poll();
            assertEquals(expected(0, 3), lines);
        }
    }

    @Test
    void partialLinesWaitForTheirNewline() throws IOException {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, "");
        try (AuditLogFollower f = new AuditLogFollower(log, false, sink)) {
            f.poll();
            Files.writeString(log, "type=EOE msg=audit(1.000", StandardOpenOption.APPEND);
            f.poll();
            assertTrue(lines.isEmpty());
            Files.writeString(log, ":1): \n", StandardOpenOption.APPEND);
            f.poll();
            assertEquals(List.of("type=EOE msg=audit(1.000:1): "), lines);
        }
    }

    @Test
    void startingAtTheEndInTheMiddleOfALineSkipsThatLine() throws IOException {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, record(1) + "\n" + "type=EOE msg=au");
        try (AuditLogFollower f = new AuditLogFollower(log, false, sink)) {
            f.poll();
            Files.writeString(log, "dit(1795718255.067:2): \n" + record(3) + "\n", StandardOpenOption.APPEND);
            f.poll();
            assertEquals(List.of(record(3)), lines);
        }
    }

    @Test
    void renameRotationLosesAndRepeatsNothing() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 5);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            append(log, 5, 8); // written before the rename, not read yet
            Files.move(log, dir.resolve("audit.log.1"), StandardCopyOption.ATOMIC_MOVE);
            f.poll(); // the new file does not exist yet
            append(dir.resolve("audit.log.1"), 8, 9); // auditd still writing to its open descriptor
            append(log, 9, 12);
            f.poll();
            f.poll();
            assertEquals(expected(0, 12), lines);
            assertEquals(1, f.rotations());
        }
    }

    @Test
    void copyTruncateTakesTheUnreadLinesFromTheCopy() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 5);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            append(log, 5, 9); // written after our last read
            Files.copy(log, dir.resolve("audit.log.1"));
            try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "rw")) {
                raf.setLength(0);
            }
            f.poll();
            append(log, 9, 11);
            f.poll();
            assertEquals(expected(0, 11), lines);
            assertEquals(1, f.truncations());
        }
    }

    @Test
    void copyTruncateDetectedEvenWhenTheFileGrewPastOurPositionAgain() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 3);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            append(log, 3, 4);
            Files.copy(log, dir.resolve("audit.log-20261126"));
            try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "rw")) {
                raf.setLength(0);
            }
            append(log, 100, 140); // more bytes than we had read before the truncation
            f.poll();
            List<String> want = expected(0, 4);
            want.addAll(expected(100, 140));
            assertEquals(want, lines);
        }
    }

    /**
     * auditd's {@code rotate_logs()} with {@code num_logs}: {@code .N-1 -> .N}, ..., {@code .1 -> .2}, then the
     * live file to {@code .1} (a rename over an existing file replaces it: the oldest is gone). The next write
     * creates a new live file.
     */
    private static void auditdRotate(Path log, int numLogs) throws IOException {
        for (int n = numLogs - 2; n >= 1; n--) {
            Path from = rotated(log, n);
            if (Files.exists(from)) {
                Files.move(from, rotated(log, n + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(log, rotated(log, 1), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path rotated(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }

    /** Rotated files from before the follower started: never read, whatever happens to them later. */
    private void oldRotatedFiles(Path log) throws IOException {
        append(rotated(log, 1), 900, 903);
        append(rotated(log, 2), 800, 803);
    }

    @ParameterizedTest(name = "{0} rotations between two polls")
    @ValueSource(ints = {2, 3})
    void severalRenameRotationsBetweenTwoPollsLoseAndRepeatNothing(int times) throws IOException {
        Path log = dir.resolve("audit.log");
        oldRotatedFiles(log);
        append(log, 0, 5);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            assertEquals(expected(0, 5), lines);
            int next = 5;
            for (int i = 0; i < times; i++) {
                append(log, next, next + 3); // written before the rename, not read yet
                auditdRotate(log, 5);
                append(rotated(log, 1), next + 3, next + 4); // auditd still writing through its descriptor
                next += 4;
            }
            append(log, next, next + 2); // the new live file
            f.poll();
            f.poll();
            assertEquals(expected(0, next + 2), lines, "every line once, in order");
            assertEquals(1, f.rotations(), "seen as one rotation: the middle files were found by inode");
            assertEquals(0, f.possibleLosses());
            append(log, next + 2, next + 4);
            auditdRotate(log, 5); // and a single rotation afterwards still works as before
            append(log, next + 4, next + 5);
            f.poll();
            f.poll();
            assertEquals(expected(0, next + 5), lines);
        }
    }

    @Test
    void theLiveFileRotatedAgainWhileItWasOpenedIsStillReadOnce() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 2);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            append(log, 2, 3);
            auditdRotate(log, 5);
            append(log, 3, 4);
            auditdRotate(log, 5);
            append(log, 4, 5); // two rotations; the follower will open this file ...
            f.poll();
            append(log, 5, 6);
            auditdRotate(log, 5); // ... which is rotated once more, with no new live file yet
            f.poll();
            append(log, 6, 7);
            f.poll();
            f.poll();
            assertEquals(expected(0, 7), lines);
            assertEquals(0, f.possibleLosses());
        }
    }

    @Test
    void theOpenFileDeletedByNumLogsWhileNewerOnesAreThereIsReportedAsPossibleLoss() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 2);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            append(log, 2, 3);
            for (int i = 0; i < 4; i++) { // num_logs 3 keeps .1 and .2: the file we had open is deleted
                auditdRotate(log, 3);
                append(log, 10 * (i + 1), 10 * (i + 1) + 2);
            }
            f.poll();
            f.poll();
            List<String> want = expected(0, 3); // ours, read through the descriptor although deleted
            want.addAll(expected(20, 22));      // audit.log.2
            want.addAll(expected(30, 32));      // audit.log.1
            want.addAll(expected(40, 42));      // the live file
            // 10 and 11 were in a file rotated out of existence between two polls: lost, and said so
            assertEquals(want, lines);
            assertEquals(1, f.possibleLosses());
        }
    }

    /** logrotate with copytruncate and numbered copies ({@code rotate N}, no dateext): shift, copy, truncate. */
    private static void copyTruncate(Path log, boolean shift) throws IOException {
        if (shift && Files.exists(rotated(log, 1))) {
            Files.move(rotated(log, 1), rotated(log, 2), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(log, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "rw")) {
            raf.setLength(0);
        }
    }

    @Test
    void copyTruncateTwiceBetweenTwoPollsReadsBothCopies() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 5);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            append(log, 5, 7);
            copyTruncate(log, true);
            append(log, 7, 9);
            copyTruncate(log, true);
            append(log, 9, 10);
            f.poll();
            f.poll();
            assertEquals(expected(0, 10), lines);
            assertEquals(0, f.possibleLosses());
        }
    }

    @Test
    void copyTruncateTwiceWithOneCopyKeptReportsPossibleLossAndRepeatsNothing() throws IOException {
        Path log = dir.resolve("audit.log");
        append(log, 0, 5);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            append(log, 5, 7);
            copyTruncate(log, false);
            append(log, 7, 9);
            copyTruncate(log, false); // the first copy, holding 5 and 6, is overwritten
            append(log, 9, 10);
            f.poll();
            f.poll();
            List<String> want = expected(0, 5);
            want.addAll(expected(9, 10)); // 5..8 were only ever in the copies; 7 and 8 are still in audit.log.1 but
                                          // nothing says they follow what was read, so they are not guessed at
            assertEquals(want, lines);
            assertEquals(1, f.possibleLosses(), "the loss is counted, not silent");
        }
    }

    /** logrotate with {@code dateext}: the live file is renamed to a dated name and a new one is created. */
    private static Path dateRotate(Path log, String suffix, long modifiedSeconds) throws IOException {
        Path to = log.resolveSibling(log.getFileName() + suffix);
        Files.move(log, to, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(to, FileTime.from(modifiedSeconds, TimeUnit.SECONDS));
        return to;
    }

    @ParameterizedTest(name = "modification times {0}")
    @ValueSource(strings = {"distinct", "equal"})
    void severalDateextRotationsBetweenTwoPollsLoseAndRepeatNothing(String times) throws IOException {
        Path log = dir.resolve("audit.log");
        append(log.resolveSibling("audit.log-2026112500"), 900, 902); // rotated before the follower started
        append(log.resolveSibling("audit.log.bak"), 800, 802);         // not a rotation: never read
        append(log, 0, 3);
        try (AuditLogFollower f = new AuditLogFollower(log, true, sink)) {
            f.poll();
            long t = 1_764_115_200L;
            boolean distinct = "distinct".equals(times);
            append(log, 3, 5);
            // Names chosen so that only the modification times give the right order when they differ.
            dateRotate(log, distinct ? "-2026112623" : "-2026112601", t);
            append(log, 5, 7);
            dateRotate(log, distinct ? "-2026112610" : "-2026112602", distinct ? t + 1 : t);
            append(log, 7, 9);
            dateRotate(log, distinct ? "-2026112605" : "-2026112603", distinct ? t + 2 : t);
            append(log.resolveSibling("audit.log-2026112603.gz"), 700, 701); // compressed: never read
            append(log.resolveSibling("audit.log.lock"), 600, 601);
            append(log, 9, 10);
            f.poll();
            f.poll();
            assertEquals(expected(0, 10), lines, "every line once, in order");
            assertEquals(1, f.rotations());
            assertEquals(0, f.possibleLosses());
        }
    }

    @Test
    void rotatedNamesAreNumberedOrDatedAndNeverCompressed() {
        for (String yes : new String[] {".1", ".12", "-20261126", "-20261126-1764115200", ".2026-11-26", "_20261126"}) {
            assertTrue(AuditLogFollower.isRotationSuffix(yes), yes);
        }
        for (String no : new String[] {"", ".", ".gz", ".1.gz", "-20261126.gz", ".bak", ".lock", "x1", "-", ".1a",
                "-20261126.xz", ".swp"}) {
            assertFalse(AuditLogFollower.isRotationSuffix(no), no);
        }
    }
}
