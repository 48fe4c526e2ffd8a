package io.execguard.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One event the demo must have produced: a label for the summary table, the events file to look in (or the reason
 * the part that would write it was skipped), and field conditions that one event must all satisfy.
 *
 * <p>Text form, one per line, tab-separated: {@code LABEL <TAB> SOURCE <TAB> CONDITIONS}, where SOURCE is a
 * path or {@code skip:REASON} and CONDITIONS are blank-separated {@code field=value} (equal) or
 * {@code field$=value} (ends with); an array field matches when one element does.
 *
 * @param label      what the summary table shows
 * @param source     the events file
 * @param skipReason why the part that writes the file did not run
 * @param conditions dotted ECS field names and the wanted values; a key ending in {@code $} compares suffixes
 */
record Expectation(String label, Optional<Path> source, Optional<String> skipReason, Map<String, String> conditions) {

    Expectation {
        conditions = Map.copyOf(conditions);
    }

    /** Parses one line of the text form; the message of the exception names what is wrong. */
    static Expectation parse(String line) {
        String[] columns = line.split("\t");
        if (columns.length != 3) {
            throw new IllegalArgumentException("expected LABEL<TAB>SOURCE<TAB>CONDITIONS, got: " + line);
        }
        Map<String, String> conditions = new LinkedHashMap<>();
        for (String condition : columns[2].trim().split("\\s+")) {
            int eq = condition.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("condition without field=value: " + condition);
            }
            conditions.put(condition.substring(0, eq), condition.substring(eq + 1));
        }
        String source = columns[1].trim();
        if (source.startsWith("skip:")) {
            return new Expectation(columns[0].trim(), Optional.empty(), Optional.of(source.substring(5)), conditions);
        }
        return new Expectation(columns[0].trim(), Optional.of(Paths.get(source)), Optional.empty(), conditions);
    }

    /** Whether one event satisfies every condition. */
    boolean matches(JsonNode event) {
        for (Map.Entry<String, String> condition : conditions.entrySet()) {
            String field = condition.getKey();
            boolean suffix = field.endsWith("$");
            if (!EventFields.matches(event, suffix ? field.substring(0, field.length() - 1) : field,
                    condition.getValue(), suffix)) {
                return false;
            }
        }
        return true;
    }
}
