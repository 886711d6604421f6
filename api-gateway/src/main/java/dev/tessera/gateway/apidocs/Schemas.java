package dev.tessera.gateway.apidocs;

import io.swagger.v3.oas.models.media.Schema;
import java.util.Set;

/**
 * Schemas built by hand for the document. OpenAPI 3.1 writes a schema's type from {@code types},
 * 3.0 from {@code type}: both are set, so the schema is right whichever version is served.
 */
final class Schemas {

  private Schemas() {}

  static Schema<Object> of(String type) {
    Schema<Object> schema = new Schema<>();
    schema.type(type);
    schema.types(Set.of(type));
    return schema;
  }

  static Schema<Object> ref(String component) {
    return new Schema<>().$ref("#/components/schemas/" + component);
  }
}
