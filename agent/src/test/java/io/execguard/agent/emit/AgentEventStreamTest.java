package io.execguard.agent.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.event.EventAction;
import io.execguard.core.event.output.OutputSpec;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentEventStreamTest {
    @TempDir
    Path dir;

    @Test
    void writesLinesAndExposesItsCountersOverJmx() throws Exception {
        Path out = dir.resolve("events.json");
        AgentEventStream stream = AgentEventStream.start(OutputSpec.file(out));
        EventFactory factory = new EventFactory("observe", "glibc/POSIX_SPAWN");
        for (int i = 0; i < 3; i++) {
            stream.emit(factory.create(EventAction.EXEC_FAILED, List.of("/x", "--password=hunter2"), "/",
                    Optional.of("/x"), Optional.<Diagnosis>empty(), "ENOENT",
                    "Cannot run program \"/x\": error=2, No such file or directory",
                    List.of("com.example.Main.main(Main.java:1)"), Optional.empty()));
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(AgentEventStream.OBJECT_NAME);
        for (int i = 0; i < 250 && (!server.isRegistered(name)
                || (Long) server.getAttribute(name, "WrittenEvents") < 3); i++) {
            Thread.sleep(20);
        }
        assertEquals(3L, server.getAttribute(name, "OfferedEvents"));
        assertEquals(3L, server.getAttribute(name, "WrittenEvents"));
        assertEquals(0L, server.getAttribute(name, "DroppedEvents"));
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertEquals(false, lines.get(0).contains("hunter2"), "arguments are redacted: " + lines.get(0));
        stream.close();
    }
}
