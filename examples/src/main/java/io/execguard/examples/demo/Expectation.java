package io.execguard.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One event the demo must have produced: where it goes in the summary table (row and column), the events file to
 * look in (or the reason the part that would write it was skipped), and field conditions that one event must all
 * satisfy.
 *
 * <p>Text form, one per line, tab-separated: {@code ROW <TAB> COLUMN <TAB> SOURCE <TAB> CONDITIONS}, where SOURCE
 * is a path or {@code skip:REASON} and CONDITIONS are blank-separated {@code field=value} (equal) or
 * {@code field$=value} (ends with); an array field matches when one element does.
 *
 * @param row        the summary table's row (the broken file)
 * @param column     the summary table's column (who should have reported it)
 * @param source     the events file
 * @param skipReason why the part that writes the file did not run
 * @param conditions dotted ECS field names and the wanted values; a key ending in {@code $} compares suffixes
 */
record Expectation(String row, String column, Optional<Path> source, Optional<String> skipReason, Map<String, String> conditions) {

    Expectation {
        conditions = Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
    }

    /** Parses one line of the text form; the message of the exception names what is wrong. */
    static Expectation parse(String line) {
        String[] columns = line.split("\t");
        if (columns.length != 4) {
            throw new IllegalArgumentException("expected ROW<TAB>COLUMN<TAB>SOURCE<TAB>CONDITIONS, got: " + line);
        }
        Map<String, String> conditions = new LinkedHashMap<>();
        for (String condition : columns[3].trim().split("\\s+")) {
            int eq = condition.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("condition without field=value: " + condition);
            }
            conditions.put(condition.substring(0, eq), condition.substring(eq + 1));
        }
        String row = columns[0].trim();
        String column = columns[1].trim();
        String source = columns[2].trim();
        if (source.startsWith("skip:")) {
            return new Expectation(row, column, Optional.empty(), Optional.of(source.substring(5)), conditions);
        }
        return new Expectation(row, column, Optional.of(Paths.get(source)), Optional.empty(), conditions);
    }

    /** The conditions in their text form, for messages. */
    String describe() {
        StringBuilder text = new StringBuilder();
        conditions.forEach((field, value) -> text.append(text.length() == 0 ? "" : " ").append(field)
                .append('=').append(value));
        return text.toString();
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
