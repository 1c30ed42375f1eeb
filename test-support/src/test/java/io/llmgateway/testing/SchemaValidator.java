package io.llmgateway.testing;

import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.regex.JoniRegularExpressionFactory;

import jakarta.json.JsonValue;

/**
 * A real JSON Schema validator (networknt), with format assertions on and ECMAScript regular expressions
 * (joni), to check what the fakes generate: the schema's own {@code $schema} picks the draft, 2020-12 otherwise.
 */
final class SchemaValidator {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, registry -> registry.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().regularExpressionFactory(JoniRegularExpressionFactory.getInstance()).build()));
    private static final ExecutionConfig FORMATS = ExecutionConfig.builder().formatAssertionsEnabled(true).build();

    private SchemaValidator() {
    }

    /** {@return the validation errors of the instance against the schema, empty when it is valid} */
    static List<String> errors(JsonValue schema, JsonValue instance) {
        Schema compiled = REGISTRY.getSchema(schema.toString(), InputFormat.JSON);
        List<Error> errors = compiled.validate(instance.toString(), InputFormat.JSON,
                                               (context, schemaContext) -> context.setExecutionConfig(FORMATS));
        return errors.stream().map(error -> error.getInstanceLocation() + ": " + error.getMessage()).toList();
    }
}
