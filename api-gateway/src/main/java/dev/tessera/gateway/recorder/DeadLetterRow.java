package dev.tessera.gateway.recorder;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code dead_letters}. Of kind {@code request}: a request that ended FAILED, with its
 * tenant, model, strategy, attempts, error and the request itself (JSON in {@code payload}). Of
 * kind {@code message}: a message the recorder could not process, with where it came from.
 *
 * @param requestId the generation (null for a message whose key is not one)
 * @param error the error message
 * @param payload the request as JSON (request), or the raw message (message)
 * @param topic the request's topic (request) or the message's (message)
 * @param replayedAt when an admin replayed it, or null
 */
public record DeadLetterRow(
    long id,
    String kind,
    UUID requestId,
    UUID tenantId,
    String model,
    String strategy,
    int attempts,
    String errorCode,
    String error,
    byte[] payload,
    String topic,
    Integer partition,
    Long offset,
    String key,
    Instant createdAt,
    Instant replayedAt) {

  /** Kind of a failed request's dead letter. */
  public static final String REQUEST = "request";

  /** Whether an admin can replay it: a request's, not replayed yet. */
  public boolean replayable() {
    return REQUEST.equals(kind) && replayedAt == null;
  }
}
