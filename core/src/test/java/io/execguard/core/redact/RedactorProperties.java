package io.execguard.core.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/** Generated secrets never survive, and no input makes the redactor throw or change the argument count. */
class RedactorProperties {
    private final Redactor redactor = Redactor.standard();

    @Property(tries = 300)
    void secretValuesOfNamedFlagsNeverSurvive(@ForAll @AlphaChars @NumericChars @StringLength(min = 6, max = 40)
                                              String tail, @ForAll boolean separate) {
        String secret = "Zq9" + tail; // a prefix no other argument contains
        List<String> args = separate
                ? List.of("app", "--api-key", secret, "--verbose")
                : List.of("app", "--db-password=" + secret, "--verbose");
        List<String> out = redactor.redactArgs(args);
        assertEquals(args.size(), out.size());
        out.forEach(a -> assertFalse(a.contains(secret), out.toString()));
        assertFalse(redactor.redactCommandLine(String.join(" ", args)).contains(secret));
    }

    @Property(tries = 300)
    void secretsInsideUrlsAndAssignmentsNeverSurvive(@ForAll @AlphaChars @NumericChars @StringLength(min = 6,
            max = 40) String tail) {
        String secret = "Zq9" + tail;
        for (String text : List.of("https://user:" + secret + "@host/x", "https://h/?token=" + secret + "&a=b",
                "DB_PASSWORD=" + secret, "Authorization: Bearer " + secret)) {
            assertFalse(redactor.redact(text).contains(secret), text);
        }
    }

    @Property(tries = 500)
    void anyTextIsHandledWithoutThrowing(@ForAll @StringLength(max = 3000) String text) {
        redactor.redact(text);
        List<String> parts = List.of(text.split(" ", -1));
        assertEquals(parts.size(), redactor.redactArgs(parts).size());
        redactor.redactCommandLine(text);
    }
}
