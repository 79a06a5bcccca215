package dev.ccp.server.policy.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.wire.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks documents against {@code ccp.policy.v1.schema.json}, the schema published with the SPI, so
 * that what the server accepts and what editors are told are one file. Each error names the field
 * by JSON Pointer; an unknown field is named itself, not its parent.
 */
public final class PolicySchema {

    private static final int MAX_ERRORS = 20;

    private final Schema schema;

    public PolicySchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));
        try (InputStream in = PolicyDocument.class.getResourceAsStream(PolicyDocument.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the policy schema " + PolicyDocument.SCHEMA_RESOURCE + " is missing");
            }
            this.schema = registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The wrong fields of a document, at most 20; empty when it is valid. */
    public List<Problem.FieldError> check(JsonNode document) {
        List<Problem.FieldError> out = new ArrayList<>();
        nonFinite(document, "", out);
        if (!out.isEmpty()) {
            return out; // the validator cannot compare infinities: name them and stop there
        }
        for (Error error : schema.validate(document)) {
            if (out.size() == MAX_ERRORS) {
                break;
            }
            String pointer = error.getInstanceLocation().toString();
            String property = error.getProperty();
            if (property != null && ("additionalProperties".equals(error.getKeyword()) || "required".equals(error.getKeyword()))) {
                pointer = pointer + "/" + property;
            }
            out.add(new Problem.FieldError(pointer, message(error)));
        }
        return out;
    }

    /** Numbers read as doubles that overflowed ({@code 1e400}), which no field of the schema can hold. */
    private static void nonFinite(JsonNode node, String pointer, List<Problem.FieldError> out) {
        if (out.size() == MAX_ERRORS) {
            return;
        }
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) && !node.isBigDecimal()) {
            out.add(new Problem.FieldError(pointer, "is a number too large to read"));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nonFinite(node.get(i), pointer + "/" + i, out);
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> nonFinite(e.getValue(),
                    pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out));
        }
    }

    private static String message(Error error) {
        String text = error.getMessage();
        String location = error.getInstanceLocation().toString();
        if (text.startsWith(location + ": ")) {
            text = text.substring(location.length() + 2);
        }
        return switch (error.getKeyword()) {
            case "additionalProperties" -> "is not a field of " + PolicyDocument.SCHEMA
                    + (location.isEmpty() ? "" : " at " + location);
            case "const" -> "must be \"" + PolicyDocument.SCHEMA + "\"";
            default -> text;
        };
    }
}
