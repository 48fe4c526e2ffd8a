package io.execguard.sidecar.audit.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
