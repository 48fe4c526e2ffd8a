package io.execguard.sidecar.audit.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The log follower racing a writer that rotates the log while the follower reads: {@value #LINES} numbered audit
 * lines written by one thread with rotations at random points, followed by another thread polling as watch does.
 * Every line must arrive exactly once and in order. Rename rotation is auditd's own (the writer keeps writing to
 * the renamed file for a moment, then opens a new one); copytruncate is done by the writer itself between two of
 * its writes, the only way copytruncate loses nothing for any reader. Each rotation waits until the follower has
 * seen a line of the current file: auditd rotates at a file size limit (megabytes apart) and logrotate at most
 * hourly, so two rotations never fall within one poll. (Without that wait the follower loses the middle file:
 * it knows only the file it has open, the current name and the newest copy.)
 */
class AuditLogFollowerRotationStressTest {
    private static final int LINES = 20_000;

    enum Rotation { RENAME, COPYTRUNCATE }

    @TempDir
    Path dir;

    static Stream<Arguments> rotationsAndSeeds() {
        return Stream.of(Rotation.values()).flatMap(r -> Stream.of(1L, 2L, 3L).map(seed -> Arguments.of(r, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("rotationsAndSeeds")
    void everyLineExactlyOnceWhileTheLogRotates(Rotation rotation, long seed) throws Exception {
        Path log = dir.resolve("audit.log");
        Files.createFile(log);
        List<Long> received = new ArrayList<>();
        AtomicLong highest = new AtomicLong(-1);
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        LineSink sink = new LineSink() {
            @Override
            public void line(byte[] buf, int off, int len) {
                String s = new String(buf, off, len, StandardCharsets.ISO_8859_1);
                long n = Long.parseLong(s.substring(s.indexOf(':') + 1, s.indexOf(')')));
                received.add(n);
                highest.set(n);
            }

            @Override
            public void idle() {
            }
        };
        Thread writer = new Thread(() -> {
            try {
                write(log, rotation, highest, seed);
            } catch (Throwable t) {
                writerFailed.set(t);
            }
        }, "auditd");
        int[] rotations = new int[1];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (AuditLogFollower follower = new AuditLogFollower(log, true, sink)) {
                writer.start();
                while (received.size() < LINES && (writer.isAlive() || follower.poll())) {
                    if (!follower.poll()) {
                        Thread.sleep(1);
                    }
                }
                follower.poll();
                rotations[0] = (int) (follower.rotations() + follower.truncations());
            }
            writer.join();
        });
        if (writerFailed.get() != null) {
            throw new AssertionError("writer failed", writerFailed.get());
        }
        assertEquals(LINES, received.size(), "lines received");
        for (int i = 0; i < LINES; i++) {
            assertEquals(i, (long) received.get(i), "line " + i);
        }
        assertTrue(rotations[0] > 3, "the follower saw the rotations: " + rotations[0]);
    }

    private static void write(Path log, Rotation rotation, AtomicLong followerAt, long seed) throws Exception {
        Random random = new Random(seed);
        int nextRotation = 500 + random.nextInt(2500);
        long firstOfFile = 0;
        int generation = 0;
        OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND);
        try {
            for (int i = 0; i < LINES; i++) {
                out.write(line(i));
                if (i % 64 == 0) {
                    out.flush();
                    Thread.yield();
                }
                if (i != nextRotation) {
                    continue;
                }
                out.flush();
                nextRotation = i + 500 + random.nextInt(2500);
                while (followerAt.get() < firstOfFile) {
                    Thread.sleep(1);
                }
                if (rotation == Rotation.RENAME) {
                    Files.move(log, log.resolveSibling("audit.log." + ++generation), StandardCopyOption.ATOMIC_MOVE);
                    out.write(line(++i)); // still writing to the renamed file through the open descriptor
                    out.close();
                    out = Files.newOutputStream(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND);
                    firstOfFile = i + 1;
                } else {
                    Files.copy(log, log.resolveSibling("audit.log.1"), StandardCopyOption.REPLACE_EXISTING);
                    try (var ch = Files.newByteChannel(log, StandardOpenOption.WRITE)) {
                        ch.truncate(0);
                    }
                    firstOfFile = i + 1;
                }
            }
        } finally {
            out.close();
        }
    }

    private static byte[] line(long n) {
        return ("type=EOE msg=audit(1795718255.067:" + n + "): \n").getBytes(StandardCharsets.US_ASCII);
    }
}
