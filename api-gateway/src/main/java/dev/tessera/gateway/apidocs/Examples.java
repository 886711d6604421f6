package dev.tessera.gateway.apidocs;

import dev.tessera.contract.Priority;
import dev.tessera.contract.Strategy;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Examples of the main schemas, as a client would send or receive them. */
final class Examples {

  private static final String ID = "4a23eac8-6663-4e49-a460-56583306aabc";

  private Examples() {}

  static void add(OpenAPI openApi) {
    Map<String, Schema> schemas = openApi.getComponents().getSchemas();
    if (schemas == null) {
      return;
    }
    Map<String, Object> generation = ordered(
        "model", "fm-ar", "class_label", 3, "strategy", "ar", "seed", 7, "temperature", 1.0,
        "top_k", 0, "priority", "normal", "deadline", "2030-01-01T12:00:00Z",
        "webhook_url", "https://example.com/hooks/tessera",
        "webhook_events", List.of("generation.succeeded", "generation.failed"));
    example(schemas, "CreateGenerationBody", generation);
    Schema<?> body = schemas.get("CreateGenerationBody");
    if (body != null && body.getProperties() != null) {
      body.setRequired(List.of("model", "class_label"));
      enumOf(body, "strategy", Arrays.stream(Strategy.values()).map(Strategy::apiName).toList());
      enumOf(body, "priority", Arrays.stream(Priority.values()).map(Priority::apiName).toList());
      describe(body, "deadline", "RFC 3339 time with an offset, in the future: if the request is "
          + "not dispatched by then it ends EXPIRED (not billed)");
      describe(body, "seed", "random (and recorded) if absent; the same seed and parameters "
          + "give the same image");
    }
    schemas.remove("SseEmitter");
    example(schemas, "CreateBatchBody", Map.of("requests", List.of(
        ordered("model", "fm-ar", "class_label", 1), ordered("model", "fm-ar", "class_label", 2,
            "strategy", "ar", "priority", "high"))));
    example(schemas, "AcceptedBody", ordered("id", ID, "status", "QUEUED",
        "status_url", "http://localhost:8080/v1/generations/" + ID));
    example(schemas, "CreateTenantBody", ordered("name", "acme", "weight", 1.0,
        "rate_per_s", 10.0, "max_in_flight", 50, "monthly_images", 100000));
    example(schemas, "GenerationView", ordered("id", ID, "status", "SUCCEEDED",
        "model", "fm-ar", "strategy", "ar", "class_label", 3, "seed", 7,
        "sampling", ordered("cfg_scale", 2.0, "temperature", 1.0, "top_k", 0, "top_p", 1.0),
        "priority", "normal", "attempt", 1,
        "timestamps", ordered("queued_at", "2026-12-02T05:05:36.051018Z",
            "succeeded_at", "2026-12-02T05:05:42.966602Z"),
        "latency", ordered("queue_ms", 254, "batch_wait_ms", 852, "decode_ms", 5661,
            "encode_ms", 123, "end_to_end_ms", 6915),
        "metrics", ordered("steps", 256, "target_forwards", 256, "drafter_forwards", 0,
            "drafted_tokens", 0, "accepted_tokens", 0, "mean_accepted_length", 1.0,
            "accepted_histogram", List.of()),
        "links", ordered("self", "/v1/generations/" + ID,
            "image", "/v1/generations/" + ID + "/image.png")));
  }

  private static void enumOf(Schema<?> schema, String property, List<String> values) {
    Schema<?> p = schema.getProperties().get(property);
    if (p != null) {
      @SuppressWarnings("unchecked")
      Schema<Object> typed = (Schema<Object>) p;
      typed.setEnum(List.copyOf(values));
    }
  }

  private static void describe(Schema<?> schema, String property, String description) {
    Schema<?> p = schema.getProperties().get(property);
    if (p != null) {
      p.setDescription(description);
    }
  }

  private static void example(Map<String, Schema> schemas, String name, Object example) {
    Schema<?> schema = schemas.get(name);
    if (schema != null) {
      schema.setExample(example);
    }
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
