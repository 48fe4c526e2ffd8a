package io.execguard.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    @Test
    void aSubcommandAloneIsSetUpWhenNamedFirst() {
        assertEquals(List.of("audit"), List.copyOf(Main.commandLine(new String[] {"audit", "read", "x"})
                .getSubcommands().keySet()));
        assertEquals(List.of("explain", "audit", "watch", "scan", "help"),
                List.copyOf(Main.commandLine(new String[] {"--help"}).getSubcommands().keySet()));
        assertEquals(5, Main.commandLine(new String[] {"help", "scan"}).getSubcommands().size());
        assertEquals(5, Main.commandLine(new String[] {"nosuch"}).getSubcommands().size());
    }

    @Test
    void usageErrorsStillNameEveryCommand() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new String[] {"nosuch"});
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("nosuch"));
        assertTrue(err.toString().contains("Unmatched argument") || err.toString().contains("nosuch"), err::toString);
        StringWriter err2 = new StringWriter();
        CommandLine none = Main.commandLine(new String[0]);
        none.setErr(new PrintWriter(err2));
        assertEquals(2, none.execute());
        assertTrue(err2.toString().contains("choose one of explain, audit, watch, scan, help"), err2::toString);
    }
}
