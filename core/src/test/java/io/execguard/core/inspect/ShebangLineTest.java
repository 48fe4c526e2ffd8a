package io.execguard.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernel's {@code load_script} parsing, case by case (the kernel-judged tests check the errno of each). */
class ShebangLineTest {
    static ShebangLine parse(String text) {
        return ShebangLine.parse(Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), 256));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "'#!/bin/sh\\n'                | OK         | /bin/sh    | null",
        "'#!  /bin/sh  -e -x  \\n'     | OK         | /bin/sh    | -e -x",
        "'#!/usr/bin/env python3 -u\\n'| OK         | /usr/bin/env | python3 -u",
        "'#!/bin/sh\\r\\n'             | OK         | '/bin/sh\\r' | null",
        "'#!/bin/sh -e\\r\\n'          | OK         | /bin/sh    | '-e\\r'",
        "'#!\\n'                       | EMPTY      | null       | null",
        "'#! \\t \\n'                  | EMPTY      | null       | null",
        "'echo\\n'                     | NOT_SCRIPT | null       | null",
        "'#!/bin/sh'                   | OK         | /bin/sh    | null",
    })
    void parsesLikeTheKernel(String text, ShebangLine.Status status, String interpreter, String argument) {
        ShebangLine l = parse(text.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t"));
        assertEquals(status, l.status());
        assertEquals(Optional.ofNullable(interpreter).map(s -> s.replace("\\r", "\r")), l.interpreter());
        assertEquals(Optional.ofNullable(argument).map(s -> s.replace("\\r", "\r")), l.argument());
    }

    @org.junit.jupiter.api.Test
    void longLines() {
        assertEquals(ShebangLine.Status.TOO_LONG, parse("#!/" + "a".repeat(300)).status());
        ShebangLine cutArgument = parse("#!/bin/sh " + "x".repeat(300));
        assertEquals(ShebangLine.Status.OK, cutArgument.status());
        assertFalse(cutArgument.newlineInBuffer());
        assertEquals(245, cutArgument.argument().orElseThrow().length(), "the argument is cut at byte 255");
        ShebangLine nul = parse("#!/bin/sh\0junk\n");
        assertEquals("/bin/sh", nul.interpreter().orElseThrow());
        assertTrue(nul.argument().isEmpty());
        assertTrue(parse("#!/bin/sh\r\n").interpreterEndsWithCr());
        assertEquals("#!/bin/sh\\r", parse("#!/bin/sh\r\n").escapedLine());
    }
}
