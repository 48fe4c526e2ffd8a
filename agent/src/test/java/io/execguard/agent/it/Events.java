package io.execguard.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.core.event.EventSchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The JSON lines a child's agent wrote, each validated against the event schema, parsed. */
final class Events {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                EventSchemaValidator.assertValid(line);
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    /** Lines of {@code text} that are JSON objects (events written to stdout or stderr). */
    static List<JsonNode> parseLines(String text) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("{\"@timestamp\"")) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    static List<JsonNode> about(List<JsonNode> events, Path target) {
        return events.stream().filter(e -> target.toString().equals(e.path("file").path("path").asText()))
                .collect(Collectors.toList());
    }

    static String action(JsonNode e) {
        return e.path("event").path("action").asText();
    }

    static String cause(JsonNode e) {
        return e.path("execguard").path("diagnosis").path("cause").asText();
    }
}
