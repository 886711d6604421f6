package dev.tessera.infra.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;

/**
 * Checks a compose file against the Compose Specification's JSON schema (draft-07), the schema that
 * docker compose itself validates with. The copy is in src/test/resources/deploy (see the README there).
 */
final class ComposeSchema {

  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
          .getSchema(SchemaLocation.of("classpath:deploy/compose-spec.schema.json"));

  private ComposeSchema() {}

  /** What is wrong with a compose file; empty when it matches the schema. */
  static List<String> problems(Map<String, Object> compose) {
    JsonNode json = new ObjectMapper().valueToTree(compose);
    return SCHEMA.validate(json).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
