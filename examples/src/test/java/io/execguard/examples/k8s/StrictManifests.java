package io.execguard.examples.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Kubernetes manifests into fabric8's model so strictly that a misspelled or misplaced field fails.
 *
 * <p>fabric8's model classes accept any unknown field into an {@code additionalProperties} map (a Jackson
 * any-setter), so FAIL_ON_UNKNOWN_PROPERTIES alone would let {@code hostPid: true} through silently. The
 * deserializer modifier below removes every any-setter, which turns an unknown field into an
 * {@code UnrecognizedPropertyException} naming the field and its path.
 */
final class StrictManifests {
    /** The kinds the kit ships, by apiVersion and kind; any other kind is an error, not a pass. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/DaemonSet", DaemonSet.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Namespace", Namespace.class);

    private static final ObjectMapper YAML = strictMapper();

    private StrictManifests() {
    }

    static ObjectMapper strictMapper() {
        SimpleModule noAnySetters = new SimpleModule("no-additional-properties");
        noAnySetters.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                    BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                return builder;
            }
        });
        return new ObjectMapper(new YAMLFactory())
                .registerModule(noAnySetters)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Every document of a (possibly multi-document) manifest file, parsed into its model class. */
    static List<HasMetadata> parseFile(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Every document of a manifest text, parsed into its model class. */
    static List<HasMetadata> parse(String yaml) throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (document == null || document.isNull() || document.isMissingNode()) {
                continue;
            }
            String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
            Class<? extends HasMetadata> type = KINDS.get(key);
            if (type == null) {
                throw new IllegalArgumentException("unexpected kind " + key + " (known: " + KINDS.keySet() + ")");
            }
            resources.add(YAML.treeToValue(document, type));
        }
        return resources;
    }

    /** A generic YAML tree, for files that are not Kubernetes objects (kustomizations, pipeline configs). */
    static JsonNode tree(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }
}
