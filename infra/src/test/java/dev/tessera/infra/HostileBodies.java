package dev.tessera.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Seeded random request bodies, property-based style: a valid body of {@code POST /v1/generations},
 * {@code POST /v1/batches} or {@code POST /admin/tenants} with one to three fields replaced by
 * values drawn from hostile and valid pools, dropped, duplicated or joined by an unknown field.
 * Some come out valid and are accepted; the suite checks every answer either way.
 */
final class HostileBodies {

  private static final List<String> VALUES = List.of("\"\\u0000\"", "\"\\u200b\"", "\"\"",
      "\"fm-ar\"", "\"ar\"", "\"high\"", "\"low\"", "\"2031-05-06T07:08:09.123456Z\"",
      "\"2031-05-06T07:08:09.Z\"", "\"+12345-01-01T00:00:00Z\"", "\"x\\ud800\"", "0", "1", "-1",
      "9", "10", "2.5", "4.9e-324", "1e308", "1e400", "-0.0", "1e-300", "2147483648",
      "9223372036854775807", "9223372036854775808", "null", "true", "[]", "{}", "[1]",
      "{\"a\":1}", "\"" + "z".repeat(500) + "\"");

  private static final List<String> GENERATION_FIELDS = List.of("model", "class_label", "strategy",
      "seed", "cfg_scale", "temperature", "top_k", "top_p", "draft_len", "lantern_k",
      "lantern_delta", "lantern_rule", "draft_threshold", "tree_tokens", "tree_top_k", "tree_kind",
      "priority", "deadline");

  private static final List<String> TENANT_FIELDS = List.of("name", "weight", "rate_per_s",
      "max_in_flight", "monthly_images");

  private final Random random;

  HostileBodies(long seed) {
    this.random = new Random(seed);
  }

  /** The next request: a mutated body for one of the body-taking endpoints. */
  HostileRequest next(String key, String admin) {
    return switch (random.nextInt(3)) {
      case 0 -> HostileRequest.of("random generation", "POST", "/v1/generations", key,
          "application/json", mutate(generation(), GENERATION_FIELDS));
      case 1 -> HostileRequest.of("random batch", "POST", "/v1/batches", key, "application/json",
          "{\"requests\":[" + mutate(generation(), GENERATION_FIELDS) + ","
              + mutate(generation(), GENERATION_FIELDS) + "]}");
      default -> HostileRequest.of("random tenant", "POST", "/admin/tenants", admin,
          "application/json", mutate(tenant(), TENANT_FIELDS));
    };
  }

  private static Map<String, String> generation() {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("model", "\"fm-ar\"");
    body.put("class_label", "1");
    return body;
  }

  private static Map<String, String> tenant() {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", "\"random-" + UUID.randomUUID() + "\"");
    return body;
  }

  private String mutate(Map<String, String> body, List<String> fields) {
    List<String[]> extra = new ArrayList<>();
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      String field = fields.get(random.nextInt(fields.size()));
      switch (random.nextInt(6)) {
        case 0 -> body.remove(field);
        case 1 -> extra.add(new String[] {field, pick()}); // the same field twice
        case 2 -> extra.add(new String[] {"unknown_" + random.nextInt(3), pick()});
        default -> body.put(field, pick());
      }
    }
    StringBuilder json = new StringBuilder("{");
    body.forEach((name, value) -> append(json, name, value));
    for (String[] pair : extra) {
      append(json, pair[0], pair[1]);
    }
    return json.append('}').toString();
  }

  private String pick() {
    return VALUES.get(random.nextInt(VALUES.size()));
  }

  private static void append(StringBuilder json, String name, String value) {
    if (json.length() > 1) {
      json.append(',');
    }
    json.append('"').append(name).append("\":").append(value);
  }
}
