package dev.tessera.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The HTTP calls of the benchmark: submit, read, cancel, models, and tenants through the admin API. */
final class LoadClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** @param base the system's URL, e.g. {@code http://localhost:8080} */
  LoadClient(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /**
   * The answer to a POST.
   *
   * @param status HTTP status, -1 when there was no response
   * @param id the generation's id when accepted (202)
   * @param retryAfterMs the {@code Retry-After} of a refusal, 0 if none
   */
  record Submitted(int status, String id, Instant sentAt, long nanos, long retryAfterMs) {}

  /** An HTTP status with its JSON body (null when the body is not JSON). */
  record Answer(int status, JsonNode body) {}

  /** {@code POST /v1/generations}. Never throws: a failed call is status -1. */
  Submitted submit(String key, Map<String, Object> body) {
    Instant sentAt = Instant.now();
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(request("/v1/generations", key)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.ofString());
      long nanos = System.nanoTime() - t0;
      String id = r.statusCode() == 202 ? JSON.readTree(r.body()).path("id").asText(null) : null;
      long retryAfterMs = RetryAfter.millis(r.headers());
      return new Submitted(r.statusCode(), id, sentAt, nanos, retryAfterMs);
    } catch (IOException e) {
      return new Submitted(-1, null, sentAt, System.nanoTime() - t0, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Submitted(-1, null, sentAt, System.nanoTime() - t0, 0);
    }
  }

  /** {@code GET /v1/generations/{id}}. */
  Answer view(String key, String id) throws IOException, InterruptedException {
    return answer(request("/v1/generations/" + id, key).GET().build());
  }

  /** {@code DELETE /v1/generations/{id}}: 200 with the CANCELLED view, 409 if it already ended. */
  Answer cancel(String key, String id) throws IOException, InterruptedException {
    return answer(request("/v1/generations/" + id, key).DELETE().build());
  }

  /** The entry of {@code GET /v1/models} for {@code model}; empty if it is not served. */
  Optional<JsonNode> model(String model) throws IOException, InterruptedException {
    Answer a = answer(request("/v1/models", null).GET().build());
    if (a.status() != 200 || a.body() == null) {
      throw new IOException("GET /v1/models answered " + a.status());
    }
    for (JsonNode m : a.body().path("data")) {
      if (m.path("name").asText().equals(model)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The names of the served models, for messages. */
  String modelNames() throws IOException, InterruptedException {
    Answer a = answer(request("/v1/models", null).GET().build());
    StringBuilder names = new StringBuilder();
    a.body().path("data").forEach(m -> names.append(names.isEmpty() ? "" : ", ")
        .append(m.path("name").asText()));
    return names.toString();
  }

  /**
   * Creates a tenant (weight 1, no rate, in-flight or monthly limit) and issues it a key.
   *
   * @return the key
   * @throws IOException when the admin API refuses (the message has its status and body)
   */
  String createTenantKey(String adminToken, String name) throws IOException, InterruptedException {
    Answer tenant = answer(request("/admin/tenants", adminToken)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
            Map.of("name", name, "weight", 1.0)))).build());
    if (tenant.status() != 201) {
      throw new IOException("POST /admin/tenants answered " + tenant.status() + ": "
          + tenant.body());
    }
    String id = tenant.body().path("id").asText();
    Answer key = answer(request("/admin/tenants/" + id + "/keys", adminToken)
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    if (key.status() != 201) {
      throw new IOException("POST /admin/tenants/" + id + "/keys answered " + key.status() + ": "
          + key.body());
    }
    return key.body().path("key").asText();
  }

  private HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    return bearer == null ? b : b.header("Authorization", "Bearer " + bearer);
  }

  private Answer answer(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = r.body().isEmpty() ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      body = null;
    }
    return new Answer(r.statusCode(), body);
  }

}
