package io.execguard.sidecar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** watch's size option: suffixes, bounds, and one clear sentence with exit code 2 for anything else. */
class WatchCommandOptionsTest {
    @Test
    void receiveBufferTakesBytesKibAndMib() {
        WatchCommand watch = new WatchCommand();
        new CommandLine(watch).parseArgs("--receive-buffer", "256k");
        assertEquals(262_144, watch.bytes("--receive-buffer", watch.receiveBuffer));
        assertEquals(8 << 20, watch.bytes("--receive-buffer", "8M"));
        assertEquals(65_536, watch.bytes("--receive-buffer", "65536"));
    }

    @Test
    void badSizesAreUsageErrors() {
        for (String bad : new String[] {"12q", "1k", "2048m", "-8m", "m"}) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new WatchCommand()).setErr(new PrintWriter(err));
            assertEquals(2, cli.execute("--receive-buffer", bad, "--listen", "none"), bad);
            assertTrue(err.toString().contains("--receive-buffer must be a size between 4k and 1024m"), err::toString);
        }
    }
}
