package dev.tessera.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Requests every one of which must be refused with a 4xx problem and change nothing: hostile text
 * (NUL, control and invisible characters, lone surrogates, oversized values) in every string field,
 * out-of-range and non-finite numbers in every number field, deadlines that are not RFC 3339 or
 * beyond PostgreSQL's range, duplicate JSON keys, bad content types, hostile path segments and
 * query parameters on every route, wrong methods, and requests Tomcat refuses before any servlet.
 */
final class HostileCorpus {

  /** JSON string literals (escaped as sent) a name or text field must refuse or not store. */
  static final List<String> TEXTS = List.of("\"\\u0000\"", "\"a\\u0000b\"", "\"bell\\u0007\"",
      "\"line\\nbreak\"", "\"zero\\u200bwidth\"", "\"\\u202eevil\"", "\"\\ufeffbom\"",
      "\"nb\\u00a0sp\"", "\"\\ud800\"", "\"\\ue000\"", "\"\\u3000\"", "\"\"", "\"   \"",
      "\"" + "x".repeat(10_000) + "\"", "\"" + "y".repeat(200_000) + "\"");

  /** JSON values every number field of a generation must refuse. */
  static final List<String> NUMBERS = List.of("1e308", "1e400", "-1e400", "-1",
      "9223372036854775808", "-9223372036854775809", "2147483648", "\"1\"", "true", "[]", "{}",
      "NaN", "0x10", "1.5e");

  /** Blank texts, which an optional name takes as "no name". */
  static final List<String> BLANK = List.of("\"\"", "\"   \"", "\"\\u3000\"");

  /** Deadlines that are not RFC 3339, or not storable. */
  static final List<String> DEADLINES = List.of("+300000-01-01T00:00:00Z",
      "300000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "2030-01-01T00:00:00.Z",
      "2030-01-01T00:00:00", "2030-13-01T00:00:00Z", "2030-01-01T24:00:00Z",
      "2030-01-01 00:00:00Z", "2030-01-01T00:00:00+25:00", "0000-01-01T00:00:00Z", "now", "");

  /** Path segments that name nothing (raw, as they appear in the request target). */
  static final List<String> SEGMENTS = List.of("%00", "a%00b", "%2F", "..", "%2e%2e",
      "%E2%80%8B", "%", "%ZZ", "a|b", "-1", "0", "1e9", "x".repeat(5000),
      UUID.randomUUID().toString().toUpperCase());

  /** Query values that are not what a parameter takes. */
  static final List<String> QUERY_VALUES = List.of("%00", "%2B300000-01-01T00%3A00%3A00Z",
      "99999999999999", "-1", "1e9", "2030-01-01T00%3A00%3A00.Z", "[", "%E2%80%AE",
      "x".repeat(3000));

  /** Content types the API cannot read. */
  static final List<String> CONTENT_TYPES = List.of("*/*", "application/*", "multipart/form-data",
      "multipart/form-data; boundary=", "application/json; charset=nope", "text/plain",
      "application/x-www-form-urlencoded", "application/xml", "nonsense", "application/json/x");

  private HostileCorpus() {}

  /**
   * The corpus for a tenant's key, the admin token, an existing tenant id (for its admin routes).
   */
  static List<HostileRequest> all(String key, String admin, UUID tenant) {
    List<HostileRequest> all = new ArrayList<>();
    String gen = "{\"model\":\"fm-ar\",\"class_label\":1";
    for (String field : List.of("model", "strategy", "priority", "deadline", "lantern_rule",
        "tree_kind")) {
      for (String text : TEXTS) {
        all.add(json("generation " + field + " text", "/v1/generations", key,
            generation(field, text)));
        all.add(json("batch item " + field + " text", "/v1/batches", key,
            "{\"requests\":[" + generation(field, text) + "]}"));
      }
    }
    for (String field : List.of("class_label", "seed", "cfg_scale", "temperature", "top_k",
        "top_p", "draft_len", "lantern_k", "lantern_delta", "draft_threshold", "tree_tokens",
        "tree_top_k")) {
      for (String number : NUMBERS) {
        if (field.equals("seed") && (number.equals("-1") || number.equals("2147483648"))) {
          continue; // a seed is any long
        }
        all.add(json("generation " + field + " number", "/v1/generations", key,
            generation(field, number)));
      }
    }
    for (String deadline : DEADLINES) {
      all.add(json("generation deadline", "/v1/generations", key,
          generation("deadline", "\"" + deadline + "\"")).expecting("invalid-field"));
    }
    all.add(json("duplicate key", "/v1/generations", key,
        gen + ",\"model\":\"fm-ar\"}").expecting("duplicate-field"));
    all.add(json("duplicate nested key", "/v1/batches", key,
        "{\"requests\":[" + gen + ",\"class_label\":2}]}").expecting("duplicate-field"));
    all.add(json("duplicate tenant key", "/admin/tenants", admin,
        "{\"name\":\"dup-" + UUID.randomUUID() + "\",\"weight\":1,\"weight\":2}")
        .expecting("duplicate-field"));
    for (String body : List.of("", "null", "[]", "\"x\"", "1", "{", gen + "} trailing",
        "[".repeat(5000), "{\"requests\":null}", "{\"requests\":{}}", "{\"requests\":[null]}",
        "{\"requests\":[]}", "{\"requests\":[" + (gen + "},").repeat(100) + gen + "}]}")) {
      all.add(json("batch body", "/v1/batches", key, body));
    }
    for (String body : List.of("", "null", "[]", "{", "[".repeat(5000))) {
      all.add(json("generation body", "/v1/generations", key, body));
      all.add(json("tenant body", "/admin/tenants", admin, body));
    }
    all.add(json("invalid UTF-8", "/v1/generations", key, "").withBody(
        new byte[] {'{', '"', 'm', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}));
    for (String text : TEXTS) {
      all.add(json("tenant name", "/admin/tenants", admin, "{\"name\":" + text + "}"));
      if (!BLANK.contains(text)) {
        all.add(json("key name", "/admin/tenants/" + tenant + "/keys", admin,
            "{\"name\":" + text + "}"));
      }
    }
    for (String field : List.of("weight", "rate_per_s", "max_in_flight", "monthly_images")) {
      for (String number : List.of("4.9e-324", "1e308", "1e400", "1e-300", "0", "-1", "-0.0",
          "1e13", "9223372036854775808", "\"2\"", "true")) {
        if (field.equals("monthly_images") && number.equals("0")) {
          continue; // no images this month is a limit
        }
        all.add(json("tenant " + field, "/admin/tenants", admin, "{\"name\":\"t-"
            + UUID.randomUUID() + "\",\"" + field + "\":" + number + "}"));
      }
    }
    for (String type : CONTENT_TYPES) {
      all.add(HostileRequest.of("content type " + type, "POST", "/v1/generations", key, type,
          gen + "}"));
      all.add(HostileRequest.of("content type " + type, "POST", "/v1/batches", key, type,
          "{\"requests\":[" + gen + "}]}"));
      all.add(HostileRequest.of("admin content type " + type, "POST", "/admin/tenants", admin,
          type, "{\"name\":\"ct-" + UUID.randomUUID() + "\"}"));
      all.add(HostileRequest.of("key content type " + type, "POST",
          "/admin/tenants/" + tenant + "/keys", admin, type, "{\"name\":\"k\"}"));
    }
    for (String segment : SEGMENTS) {
      all.add(HostileRequest.of("generation id", "GET", "/v1/generations/" + segment, key, null,
          null));
      all.add(HostileRequest.of("cancel id", "DELETE", "/v1/generations/" + segment, key, null,
          null));
      all.add(HostileRequest.of("image id", "GET", "/v1/generations/" + segment + "/image.png",
          key, null, null));
      all.add(HostileRequest.of("events id", "GET", "/v1/generations/" + segment + "/events",
          key, null, null));
      all.add(HostileRequest.of("tenant id", "GET", "/admin/tenants/" + segment, admin, null,
          null));
      all.add(HostileRequest.of("tenant keys id", "GET", "/admin/tenants/" + segment + "/keys",
          admin, null, null));
      all.add(HostileRequest.of("issue key id", "POST", "/admin/tenants/" + segment + "/keys",
          admin, null, null));
      all.add(HostileRequest.of("revoke key id", "DELETE", "/admin/keys/" + segment, admin, null,
          null));
      all.add(HostileRequest.of("replay id", "POST", "/v1/admin/dead-letters/" + segment
          + "/replay", admin, null, null));
      all.add(HostileRequest.of("generation webhooks id", "GET", "/v1/generations/" + segment
          + "/webhooks", key, null, null));
      all.add(HostileRequest.of("tenant webhooks id", "GET", "/admin/tenants/" + segment
          + "/webhooks", admin, null, null));
      all.add(json("add webhook tenant id", "/admin/tenants/" + segment + "/webhooks", admin,
          "{\"url\":\"https://example.com/hook\"}"));
      all.add(HostileRequest.of("disable webhook id", "DELETE", "/admin/webhooks/" + segment,
          admin, null, null));
    }
    all.addAll(webhooks(key, admin, tenant));
    for (String value : QUERY_VALUES) {
      for (String parameter : List.of("start", "end", "bucket", "group_by", "tenant_id")) {
        String query = parameter.equals("start") ? "start=" + value
            : "start=1700000000&" + parameter + "=" + value;
        all.add(HostileRequest.of("usage " + parameter, "GET", "/v1/usage?" + query, key, null,
            null));
      }
      for (String parameter : List.of("limit", "after", "before", "status", "strategy",
          "batch_id", "created_from", "created_to")) {
        all.add(HostileRequest.of("list " + parameter, "GET", "/v1/generations?" + parameter
            + "=" + value, key, null, null));
      }
      for (String parameter : List.of("tenant_id", "limit", "status", "created_from")) {
        all.add(HostileRequest.of("admin list " + parameter, "GET", "/v1/admin/generations?"
            + parameter + "=" + value, admin, null, null));
      }
      all.add(HostileRequest.of("dead letters limit", "GET", "/v1/admin/dead-letters?limit="
          + value, admin, null, null));
      all.add(HostileRequest.of("dead letters tenant", "GET",
          "/admin/dead-letters?tenant_id=" + value, admin, null, null));
    }
    for (String name : List.of("%00", "a%00b", "%E2%80%AE", "%E2%80%8B", "x".repeat(300))) {
      // any other name is a fair filter: it lists nothing
      all.add(HostileRequest.of("list model", "GET", "/v1/generations?model=" + name, key, null,
          null));
    }
    all.add(HostileRequest.of("usage start far", "GET",
        "/v1/usage?start=%2B300000-01-01T00%3A00%3A00Z&end=%2B300000-01-02T00%3A00%3A00Z", key,
        null, null).expecting("invalid-field"));
    all.addAll(headersAndMethods(key, admin, gen + "}"));
    return all;
  }

  /**
   * Webhook fields of a generation and the admin's endpoint bodies: hostile text, URLs that are
   * not http(s) or not URLs, unknown events.
   */
  private static List<HostileRequest> webhooks(String key, String admin, UUID tenant) {
    List<HostileRequest> all = new ArrayList<>();
    List<String> urls = new ArrayList<>(TEXTS);
    // (private and loopback targets are refused too, but this stack allows them for its own
    // receiver: WebhooksTest covers that refusal)
    urls.addAll(List.of("\"ftp://example.com/x\"", "\"javascript:alert(1)\"", "\"https://\"",
        "\"https://exa mple.com/\"", "\"https://example.com/\\u0000\"", "1", "[]"));
    String endpoints = "/admin/tenants/" + tenant + "/webhooks";
    for (String url : urls) {
      all.add(json("generation webhook_url", "/v1/generations", key,
          generation("webhook_url", url)));
      all.add(json("endpoint url", endpoints, admin, "{\"url\":" + url + "}"));
    }
    for (String events : List.of("\"succeeded\"", "[\"nope\"]", "[\"\\u0000\"]", "[1]",
        "[" + "\"succeeded\",".repeat(50) + "\"succeeded\"]")) {
      all.add(json("generation webhook_events", "/v1/generations", key,
          generation("webhook_url", "\"https://example.com/h\"").replace("}",
              ",\"webhook_events\":" + events + "}")));
      all.add(json("endpoint events", endpoints, admin,
          "{\"url\":\"https://example.com/h\",\"events\":" + events + "}"));
    }
    for (String text : TEXTS.stream().filter(t -> !BLANK.contains(t)).toList()) {
      all.add(json("endpoint description", endpoints, admin,
          "{\"url\":\"https://example.com/h\",\"description\":" + text + "}"));
    }
    return all;
  }

  private static List<HostileRequest> headersAndMethods(String key, String admin, String gen) {
    List<HostileRequest> all = new ArrayList<>();
    for (String auth : List.of("", "Bearer", "Bearer " + "k".repeat(6000), "Basic Zm9vOmJhcg==",
        "Bearer tsk_a_b", "Bearer " + admin)) {
      all.add(HostileRequest.of("authorization", "POST", "/v1/generations", null,
          "application/json", gen).withHeader("Authorization", auth));
    }
    for (String idempotencyKey : List.of("", " ", "k".repeat(300), "clé", "a\u007fb")) {
      all.add(HostileRequest.of("idempotency key", "POST", "/v1/generations", key,
          "application/json", gen).withHeader("Idempotency-Key", idempotencyKey));
    }
    for (String[] route : new String[][] {{"PATCH", "/v1/generations"},
        {"PUT", "/v1/generations/" + UUID.randomUUID()}, {"DELETE", "/v1/models"},
        {"PATCH", "/v1/batches"}, {"PUT", "/admin/tenants"}, {"TRACE", "/v1/models"},
        {"GET", "/v1/batches"}, {"GET", "/error"}, {"POST", "/error"}, {"GET", "/nothing-here"},
        {"GET", "/v1/generations/" + UUID.randomUUID() + "/nothing"}}) {
      all.add(HostileRequest.of("method " + route[0], route[0], route[1], key, null, null));
    }
    // refused by Tomcat before any servlet runs
    all.add(HostileRequest.of("NUL in path", "GET", "/v1/gen%00erations", key, null, null));
    all.add(HostileRequest.of("encoded slash", "GET", "/v1/generations/a%2Fb", key, null, null));
    all.add(HostileRequest.of("bar in path", "GET", "/v1/generations/a|b", key, null, null));
    all.add(HostileRequest.of("bracket in query", "GET", "/v1/usage?start=[", key, null, null));
    all.add(HostileRequest.of("long URI", "GET", "/v1/models?x=" + "a".repeat(20_000), null,
        null, null));
    all.add(HostileRequest.of("duplicate Host", "GET", "/v1/models", null, null, null)
        .withHeader("Host", "a\r\nHost: b"));
    all.add(HostileRequest.of("no Host", "GET", "/v1/models", null, null, null)
        .withHeader("Host", null));
    all.add(HostileRequest.of("header without colon", "GET", "/v1/models", null, null, null)
        .withHeader("Bad Header", "x"));
    all.add(HostileRequest.of("huge header", "GET", "/v1/models", null, null, null)
        .withHeader("X-Big", "b".repeat(20_000)));
    all.add(HostileRequest.of("NUL in header", "GET", "/v1/models", key, null, null)
        .withHeader("X-Nul", "a\u0000b"));
    all.add(HostileRequest.of("bad method token", "GE(T", "/v1/models", null, null, null));
    all.add(HostileRequest.of("request line with extra token", "GET", "/v1/models HTTP/1.1 x",
        null, null, null));
    return all;
  }

  /** A valid generation body with one field set to a raw JSON value. */
  private static String generation(String field, String value) {
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("model", "\"fm-ar\"");
    fields.put("class_label", "1");
    fields.put(field, value);
    StringBuilder body = new StringBuilder("{");
    fields.forEach((name, v) -> body.append(body.length() > 1 ? "," : "").append('"').append(name)
        .append("\":").append(v));
    return body.append('}').toString();
  }

  private static HostileRequest json(String name, String path, String auth, String body) {
    return HostileRequest.of(name, "POST", path, auth, "application/json", body);
  }
}
