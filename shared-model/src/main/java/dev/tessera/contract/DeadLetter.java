package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;

import java.time.Instant;
import java.util.Objects;

/**
 * A request that ended FAILED, its error not retryable or its attempts used up, as the result
 * recorder publishes it on {@link Topics#DEAD_LETTERS} (key: the model, as on {@link
 * Topics#REQUESTS}) once it is stored. PostgreSQL's {@code dead_letters} row is the truth; this
 * copy is best effort, for whoever watches the topic. An admin replays it from the row.
 *
 * @param id the dead letter's id (its row)
 * @param request the request as it was last dispatched: everything a replay needs
 * @param attempts dispatch attempts it had
 * @param error the last attempt's error
 * @param createdAt when it was dead-lettered
 */
public record DeadLetter(long id, GenerationRequest request, int attempts, Failure error,
    Instant createdAt) {

  public DeadLetter {
    require(id > 0, "id must be > 0, was " + id);
    Objects.requireNonNull(request, "request");
    require(attempts >= 0, "attempts must be >= 0, was " + attempts);
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(createdAt, "created_at");
  }
}
