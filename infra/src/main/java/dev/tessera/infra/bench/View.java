package dev.tessera.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;

/**
 * The parts of {@code GET /v1/generations/{id}} the benchmark uses (see the gateway's
 * {@code GenerationView}): state, worker, state timestamps and the latency block, in milliseconds.
 *
 * @param finishedAt when it reached its terminal state, or null
 */
record View(String id, String status, String workerId, Instant queuedAt, Instant runningAt,
    Instant finishedAt, Long queueMs, Long batchWaitMs, Long decodeMs, Long encodeMs,
    Long endToEndMs) {

  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED");

  /** Reads a view from its JSON. */
  static View of(JsonNode json) {
    JsonNode t = json.path("timestamps");
    JsonNode l = json.path("latency");
    Instant finished = null;
    for (String s : new String[] {"succeeded_at", "failed_at", "cancelled_at", "expired_at"}) {
      if (finished == null) {
        finished = instant(t, s);
      }
    }
    return new View(json.path("id").asText(), json.path("status").asText(),
        json.path("worker_id").isTextual() ? json.path("worker_id").asText() : null,
        instant(t, "queued_at"), instant(t, "running_at"), finished, millis(l, "queue_ms"),
        millis(l, "batch_wait_ms"), millis(l, "decode_ms"), millis(l, "encode_ms"),
        millis(l, "end_to_end_ms"));
  }

  /** Whether a state is terminal (it never changes again). */
  static boolean terminal(String status) {
    return TERMINAL.contains(status);
  }

  boolean succeeded() {
    return "SUCCEEDED".equals(status);
  }

  /** End-to-end minus decode: the time the pipeline, not the model, took; null if unknown. */
  Long overheadMs() {
    return endToEndMs == null || decodeMs == null ? null : endToEndMs - decodeMs;
  }

  private static Instant instant(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() ? Instant.parse(v.asText()) : null;
  }

  private static Long millis(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNumber() ? v.asLong() : null;
  }
}
