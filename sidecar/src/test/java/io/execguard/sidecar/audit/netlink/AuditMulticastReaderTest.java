package io.execguard.sidecar.audit.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.sidecar.audit.rule.AuditArch;
import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.AuditRules;
import io.execguard.sidecar.testing.Command;
import io.execguard.core.testing.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multicast reader against the real kernel: a failed exec of a file without {@code #!} must come back as
 * SYSCALL, CWD, PATH ... EOE records within a second. Auditing is switched on when it is off (and left on: turning it
 * off could break other readers on the machine); the test's own rule, with its own key, is removed afterwards.
 */
class AuditMulticastReaderTest {
    private static final String EXEC = "import os, sys\ntry:\n    os.execv(sys.argv[1], [sys.argv[1]])\n"
            + "except OSError as e:\n    sys.exit(e.errno)\n";
    private static final Pattern EVENT_ID = Pattern.compile("^audit\\((\\d+\\.\\d+:\\d+)\\): ");

    private final String key = "execguard-test-" + UUID.randomUUID().toString().substring(0, 8);
    private AuditClient client;
    private AuditRule rule;

    @TempDir
    Path dir;

    @BeforeEach
    void installRule() throws Exception {
        Privileges.requireRoot();
        Privileges.requireCommand("python3");
        client = AuditClient.open();
        if (!client.status().isEnabled()) {
            client.setEnabled(true);
        }
        rule = AuditRules.execFailure(AuditArch.host64(), "ENOEXEC", key);
        assertTrue(client.addRule(rule));
    }

    @AfterEach
    void removeRule() throws Exception {
        if (client != null) {
            client.deleteRule(rule);
            client.close();
        }
    }

    @Test
    void failedExecArrivesAsRecordsWithinOneSecond() throws Exception {
        Path script = noShebangScript();
        try (AuditMulticastReader reader = AuditMulticastReader.open()) {
            int status = failExec(script);
            assertEquals(8, status, "the fixture's exec must fail with ENOEXEC");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            // The key is not a reliable marker: the kernel logs an event once, with the key of the FIRST matching
            // rule, and another rule for the same failure may come first. The fixture's unique path is.
            java.util.Map<String, List<NetlinkRecord>> byEvent = new java.util.HashMap<>();
            String id = null;
            while (System.nanoTime() < deadline && !(id != null && last(byEvent.get(id)).type() == 1320)) {
                Optional<NetlinkRecord> r = reader.read(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (r.isEmpty()) {
                    continue;
                }
                String recordId = eventId(r.get().text());
                byEvent.computeIfAbsent(recordId, k -> new ArrayList<>()).add(r.get());
                if (r.get().type() == 1302 && r.get().text().contains(" name=\"" + script + "\"")) {
                    id = recordId;
                }
            }
            assertTrue(id != null, "no PATH record naming " + script + " within 1 s");
            List<NetlinkRecord> event = byEvent.get(id);
            assertEquals(1320, last(event).type(), "event complete (EOE) within 1 s: " + event);
            assertEquals(1300, event.get(0).type(), "SYSCALL first: " + event);
            String syscall = event.get(0).text();
            assertTrue(syscall.contains(" syscall=59 ") && syscall.contains(" success=no exit=-8 "), syscall);
            assertEquals(0, reader.rejectedDatagrams());
        }
    }

    @Test
    void closeWakesABlockedReaderPromptly() throws Exception {
        AuditMulticastReader reader = AuditMulticastReader.open();
        List<Object> outcome = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                // Only this test's rule could produce records here, and nothing execs a fixture.
                Optional<NetlinkRecord> r;
                do {
                    r = reader.read(Duration.ofSeconds(60));
                } while (r.isPresent());
                outcome.add("empty");
            } catch (Exception e) {
                outcome.add(e);
            }
        });
        t.start();
        Thread.sleep(200);
        reader.close();
        t.join(TimeUnit.SECONDS.toMillis(5));
        assertFalse(t.isAlive(), "read() still blocked 5 s after close()");
        assertEquals(List.of("empty"), outcome);
        assertEquals(Optional.empty(), reader.read(Duration.ofSeconds(1)), "read after close returns at once");
        assertFalse(reader.isOpen());
    }

    @Test
    void overflowIsCountedAndReadingContinues() throws Exception {
        Path script = noShebangScript();
        try (AuditMulticastReader reader = AuditMulticastReader.open(4096)) {
            Path burst = dir.resolve("burst.py");
            Files.writeString(burst, "import os, sys\nfor i in range(60):\n    pid = os.fork()\n    if pid == 0:\n"
                    + "        try:\n            os.execv(sys.argv[1], [sys.argv[1]])\n        finally:\n"
                    + "            os._exit(1)\n    os.waitpid(pid, 0)\n");
            assertEquals(0, Command.run(List.of("python3", burst.toString(), script.toString())).exitCode());
            int read = 0;
            int readAfterOverflow = 0;
            while (reader.read(Duration.ofMillis(300)).isPresent()) {
                read++;
                readAfterOverflow += reader.overflows() > 0 ? 1 : 0;
            }
            assertTrue(reader.overflows() > 0, "a 4 KiB buffer cannot hold 60 failed execs' records");
            assertTrue(readAfterOverflow > 0, "records after the overflow are still delivered");
            assertEquals(read, reader.recordsReceived());
        }
    }

    private Path noShebangScript() throws Exception {
        Path script = dir.resolve("noshebang-" + key);
        Files.writeString(script, "echo this file has no interpreter line\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private int failExec(Path script) throws Exception {
        return Command.run(List.of("python3", "-c", EXEC, script.toString())).exitCode();
    }

    private static NetlinkRecord last(List<NetlinkRecord> records) {
        return records.get(records.size() - 1);
    }

    private static String eventId(String text) {
        Matcher m = EVENT_ID.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    @Test
    void datagramsNotFromTheKernelAreRejected() {
        java.nio.ByteBuffer d = NetlinkMessage.encode(1300, 0, 1, "audit(1.2:3): x=1".getBytes());
        assertNotEquals(Optional.empty(), AuditMulticastReader.decode(d, 0, java.time.Instant.EPOCH));
        assertEquals(Optional.empty(), AuditMulticastReader.decode(d, 4242, java.time.Instant.EPOCH));
        assertEquals(Optional.empty(), AuditMulticastReader.decode(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 0,
                java.time.Instant.EPOCH));
        assertEquals("audit(1.2:3): x=1",
                AuditMulticastReader.decode(d, 0, java.time.Instant.EPOCH).get().get(0).text());
    }
}
