package io.execguard.core.event.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputSpecTest {
    @Test
    void parsesTheThreeForms() {
        assertEquals(OutputSpec.stdout(), OutputSpec.parse("stdout"));
        assertEquals(OutputSpec.stderr(), OutputSpec.parse(" stderr "));
        OutputSpec file = OutputSpec.parse("file:/var/log/execguard.json");
        assertEquals(OutputSpec.Kind.FILE, file.kind());
        assertEquals(Optional.of(Path.of("/var/log/execguard.json")), file.file());
        assertEquals("file:/var/log/execguard.json", file.toString());
        assertEquals(file, OutputSpec.parse(file.toString()));
        assertEquals(Optional.empty(), OutputSpec.stdout().file());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|output is empty: use stdout, stderr or file:/absolute/path",
        "file:|output file: needs a path, e.g. file:/var/log/execguard.json",
        "file:relative.json|output file path must be absolute: relative.json",
        "file:/var/log/|output file path names a directory: /var/log/",
        "STDOUT|unknown output 'STDOUT': use stdout, stderr or file:/absolute/path",
        "/var/log/x.json|unknown output '/var/log/x.json': use stdout, stderr or file:/absolute/path",
        "syslog|unknown output 'syslog': use stdout, stderr or file:/absolute/path",
    })
    void rejectsWithOneClearSentence(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> OutputSpec.parse(text)).getMessage());
    }

    @Test
    void nullIsRejectedLikeEmpty() {
        assertThrows(IllegalArgumentException.class, () -> OutputSpec.parse(null));
    }
}
