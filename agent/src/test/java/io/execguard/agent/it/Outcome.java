package io.execguard.agent.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the child application saw for one exec, as {@code ProbeApp} printed it. */
final class Outcome {
    final String path;
    final boolean thrown;
    final int exit;
    final String output;
    final String type;
    final String message;
    final String causeType;
    final String causeMessage;
    final int causeSuppressed;
    final List<String> suppressed;

    private Outcome(String path, boolean thrown, int exit, String output, String type, String message,
                    String causeType, String causeMessage, int causeSuppressed, List<String> suppressed) {
        this.path = path;
        this.thrown = thrown;
        this.exit = exit;
        this.output = output;
        this.type = type;
        this.message = message;
        this.causeType = causeType;
        this.causeMessage = causeMessage;
        this.causeSuppressed = causeSuppressed;
        this.suppressed = suppressed;
    }

    /** Every {@code OUTCOME} line of a child's stdout, by path. */
    static Map<String, Outcome> parseAll(String stdout) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("OUTCOME ")) {
                Outcome o = parse(line);
                outcomes.put(o.path, o);
            }
        }
        return outcomes;
    }

    static Outcome parse(String line) {
        String[] f = line.trim().split(" ");
        String path = d(f[1]);
        if ("EXIT".equals(f[2])) {
            return new Outcome(path, false, Integer.parseInt(f[3]), f.length > 4 ? d(f[4]) : "", null, null, null,
                    null, 0, List.of());
        }
        List<String> suppressed = new ArrayList<>();
        int n = Integer.parseInt(f[8]);
        for (int i = 0; i < n; i++) {
            suppressed.add(d(f[9 + i]));
        }
        return new Outcome(path, true, -1, null, d(f[3]), d(f[4]), d(f[5]), d(f[6]), Integer.parseInt(f[7]),
                suppressed);
    }

    private static String d(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** Equal in everything the application can observe except suppressed exceptions. */
    boolean sameForTheApplication(Outcome o) {
        return thrown == o.thrown && exit == o.exit && Objects.equals(output, o.output)
                && Objects.equals(type, o.type) && Objects.equals(message, o.message)
                && Objects.equals(causeType, o.causeType) && Objects.equals(causeMessage, o.causeMessage)
                && causeSuppressed == o.causeSuppressed;
    }

    @Override
    public String toString() {
        return thrown ? "threw " + type + ": " + message + " (cause " + causeType + ": " + causeMessage
                + ", suppressed " + suppressed + ")" : "exit " + exit + " output '" + output.trim() + "'";
    }
}
