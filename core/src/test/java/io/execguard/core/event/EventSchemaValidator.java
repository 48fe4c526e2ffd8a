package io.execguard.core.event;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.execguard.core.event.pipeline.EventSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Test helper shared with the agent and sidecar tests (through core's test-jar): validates event JSON lines
 * against {@code docs/event-schema.json} with the networknt JSON Schema validator (draft 2020-12, formats
 * asserted). Use {@link #assertValid(String)} on every line a test produces, or put a {@link #sink()} in front of
 * a pipeline.
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>io.execguard</groupId><artifactId>execguard-core</artifactId>
 *   <type>test-jar</type><version>${project.version}</version><scope>test</scope>
 * </dependency>
 * <dependency>
 *   <groupId>com.networknt</groupId><artifactId>json-schema-validator</artifactId><scope>test</scope>
 * </dependency>
 * }</pre>
 */
public final class EventSchemaValidator {
    /** Where the schema sits on the test class path (copied from docs/ by core's build). */
    public static final String SCHEMA_RESOURCE = "/io/execguard/core/event/event-schema.json";

    private static final Schema SCHEMA = load();

    private EventSchemaValidator() {
    }

    private static Schema load() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(config));
        try (InputStream in = EventSchemaValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the class path");
            }
            return registry.getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema violations of one JSON line, each as {@code <location>: <message>}; empty when valid. */
    public static List<String> errors(String jsonLine) {
        List<Error> errors = SCHEMA.validate(jsonLine, InputFormat.JSON);
        return errors.stream().map(Error::toString).collect(Collectors.toList());
    }

    /** Throws {@link AssertionError} listing every violation when {@code jsonLine} does not match the schema. */
    public static void assertValid(String jsonLine) {
        List<String> errors = errors(jsonLine);
        if (!errors.isEmpty()) {
            throw new AssertionError("event does not match docs/event-schema.json:\n  "
                    + String.join("\n  ", errors) + "\nevent: " + jsonLine);
        }
    }

    /** A sink that validates every line (failing the writer's event, which the pipeline counts) and keeps it. */
    public static CollectingSink sink() {
        return new CollectingSink();
    }

    /** An {@link EventSink} that validates and collects lines; read them with {@link #lines()}. */
    public static final class CollectingSink implements EventSink {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final List<String> invalid = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(String jsonLine) {
            lines.add(jsonLine);
            if (!errors(jsonLine).isEmpty()) {
                invalid.add(jsonLine);
            }
        }

        /** Every line written so far. */
        public List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        /** Fails if any written line violated the schema. */
        public void assertAllValid() {
            synchronized (invalid) {
                if (!invalid.isEmpty()) {
                    assertValid(invalid.get(0));
                }
            }
        }
    }
}
