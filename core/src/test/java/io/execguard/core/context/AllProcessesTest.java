package io.execguard.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every process on this machine - kernel threads, zombies, other users', ones exiting right now - reads cleanly. */
class AllProcessesTest {
    @Test
    void everyPidOfThisMachineReadsAsAContextOrAsGone() throws IOException {
        List<Long> pids;
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            pids = entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).collect(Collectors.toList());
        }
        assertTrue(pids.size() > 10, pids.toString());
        int read = 0;
        for (long pid : pids) {
            Optional<ProcessContext> c = ProcessContext.read(pid);
            if (c.isPresent()) {
                read++;
                assertEquals(pid, c.get().pid());
                assertTrue(!c.get().name().isEmpty(), c.get().toString());
                if (pid == 2 || c.get().parentPid() == 2) {
                    assertEquals(List.of(), c.get().args(), "kernel threads have no command line");
                    assertEquals(Optional.empty(), c.get().executable(), "kernel threads have no executable");
                }
            }
        }
        assertTrue(read >= pids.size() / 2, read + " of " + pids.size());
    }
}
