package io.execguard.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The examples in docs/events.md are real: each one is a schema-valid event, and every action has one. */
class EventsDocumentationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyExampleIsAValidEventAndEveryActionHasOne() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "events.md"));
        List<JsonNode> examples = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(doc);
        while (m.find()) {
            examples.add(JSON.readTree(m.group(1)));
        }
        assertTrue(examples.size() >= 4, "examples found: " + examples.size());
        Set<EventAction> actions = EnumSet.noneOf(EventAction.class);
        for (JsonNode example : examples) {
            EventSchemaValidator.assertValid(JSON.writeValueAsString(example));
            for (EventAction a : EventAction.values()) {
                if (a.value().equals(example.at("/event/action").asString())) {
                    actions.add(a);
                }
            }
        }
        assertEquals(EnumSet.allOf(EventAction.class), actions);
    }
}
