package io.execguard.examples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The events in one JSON-lines file written by the agent or the sidecar, with the lines that were not JSON
 * objects counted rather than silently dropped (a torn or foreign line is a finding in itself).
 *
 * @param path       where the events were read from
 * @param events     the JSON objects, in file order
 * @param badLines   how many non-blank lines were not JSON objects
 * @param missing    true when the file does not exist (the producer never wrote anything)
 */
record EventLog(Path path, List<JsonNode> events, int badLines, boolean missing) {
    private static final ObjectMapper JSON = new ObjectMapper();

    EventLog {
        events = List.copyOf(events);
    }

    /** Reads the file; a missing file is an empty log marked {@link #missing()}. */
    static EventLog read(Path path) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new EventLog(path, List.of(), 0, true);
        }
        List<JsonNode> events = new ArrayList<>();
        int bad = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node != null && node.isObject()) {
                    events.add(node);
                } else {
                    bad++;
                }
            } catch (JsonProcessingException e) {
                bad++;
            }
        }
        return new EventLog(path, events, bad, false);
    }
}
