package io.execguard.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Reads an Elastic Common Schema field by its dotted name from one event, whether the writer nested the objects
 * ({@code {"event":{"action":...}}}) or flattened the names ({@code {"event.action":...}}); ECS allows both,
 * and a log pipeline may have rewritten one into the other.
 */
final class EventFields {
    private EventFields() {
    }

    /** The node at {@code dottedName}, if the event has it and it is not JSON null. */
    static Optional<JsonNode> node(JsonNode event, String dottedName) {
        if (event == null || !event.isObject()) {
            return Optional.empty();
        }
        JsonNode literal = event.get(dottedName);
        if (literal != null && !literal.isNull()) {
            return Optional.of(literal);
        }
        int dot = dottedName.indexOf('.');
        while (dot > 0) {
            JsonNode child = event.get(dottedName.substring(0, dot));
            Optional<JsonNode> found = node(child, dottedName.substring(dot + 1));
            if (found.isPresent()) {
                return found;
            }
            dot = dottedName.indexOf('.', dot + 1);
        }
        return Optional.empty();
    }

    /** The field as text: scalars as they are, arrays joined with spaces, objects as compact JSON. */
    static Optional<String> text(JsonNode event, String dottedName) {
        return node(event, dottedName).map(EventFields::asText).filter(s -> !s.isEmpty());
    }

    /** The first of several candidate names the event carries, for fields whose name is not settled. */
    static Optional<String> firstText(JsonNode event, String... dottedNames) {
        for (String name : dottedNames) {
            Optional<String> value = text(event, name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** Whether the field equals {@code expected}, or, for an array, has an element that does. */
    static boolean matches(JsonNode event, String dottedName, String expected, boolean suffix) {
        Optional<JsonNode> value = node(event, dottedName);
        if (value.isEmpty()) {
            return false;
        }
        if (value.get().isArray()) {
            for (JsonNode element : value.get()) {
                if (matchesText(asText(element), expected, suffix)) {
                    return true;
                }
            }
            return false;
        }
        return matchesText(asText(value.get()), expected, suffix);
    }

    private static boolean matchesText(String actual, String expected, boolean suffix) {
        return suffix ? actual.endsWith(expected) : actual.equals(expected);
    }

    private static String asText(JsonNode node) {
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode element : node) {
                joined.append(joined.length() == 0 ? "" : " ").append(asText(element));
            }
            return joined.toString();
        }
        return node.toString();
    }
}
