package dev.tessera.infra.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.infra.bench.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP calls a careful client makes, spread over every gateway as a load balancer would: each
 * call names the gateway, so that a retry can go to another one. Never throws for a failed call: it
 * is status -1.
 */
final class CarefulClient {

  /** Longest the client waits for an answer before it counts the call as hung. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One answer.
   *
   * @param status HTTP status, -1 when there was none (connection refused or cut, timeout)
   * @param body the JSON body, or null
   * @param replayed the gateway said {@code Idempotent-Replayed: true}
   * @param retryAfterMs the {@code Retry-After} header in milliseconds, 0 if none
   * @param millis how long the call took
   */
  record Answer(int status, JsonNode body, boolean replayed, long retryAfterMs, long millis) {

    String id() {
      return body == null ? null : body.path("id").asText(null);
    }

    String problemType() {
      return body == null ? null : body.path("type").asText(null);
    }
  }

  private final List<String> gateways;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** @param gateways the gateways' base URLs (stable: a restarted gateway keeps its port) */
  CarefulClient(List<String> gateways) {
    this.gateways = List.copyOf(gateways);
  }

  /** The gateway a call number goes to (round robin). */
  String gateway(long call) {
    return gateways.get((int) Math.floorMod(call, (long) gateways.size()));
  }

  int gatewayCount() {
    return gateways.size();
  }

  /** {@code POST /v1/generations} with an Idempotency-Key. */
  Answer submit(String gateway, String apiKey, String idempotencyKey, String body) {
    return call(HttpRequest.newBuilder(URI.create(gateway + "/v1/generations"))
        .timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** {@code GET /v1/generations/{id}}. */
  Answer view(String gateway, String apiKey, String id) {
    return call(HttpRequest.newBuilder(URI.create(gateway + "/v1/generations/" + id))
        .timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey).GET().build());
  }

  /** Any GET with a bearer token. */
  Answer get(String gateway, String bearer, String path) {
    return call(HttpRequest.newBuilder(URI.create(gateway + path))
        .timeout(TIMEOUT).header("Authorization", "Bearer " + bearer).GET().build());
  }

  /** A POST of a JSON body with a bearer token (the admin API). */
  Answer post(String gateway, String bearer, String path, String json) {
    return call(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private Answer call(HttpRequest request) {
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = r.body().isEmpty() ? null : JSON.readTree(r.body());
      } catch (IOException e) {
        body = null;
      }
      return new Answer(r.statusCode(), body,
          r.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false),
          RetryAfter.millis(r.headers()), (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException e) {
      return new Answer(-1, null, false, 0, (System.nanoTime() - t0) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, null, false, 0, (System.nanoTime() - t0) / 1_000_000);
    }
  }

}
