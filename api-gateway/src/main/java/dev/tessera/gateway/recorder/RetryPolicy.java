package dev.tessera.gateway.recorder;

import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.GatewayProperties;
import java.time.Duration;
import java.time.Instant;

/**
 * What a FAILED result does to its generation. Pure: it decides from the row (locked by the caller)
 * and the result alone.
 *
 * <p>A failure counts only for the dispatch the row is in: the row must be DISPATCHED or RUNNING,
 * at the result's attempt. Anything else is a duplicate or a late event and changes nothing: a row
 * already RETRYING at that attempt (the failure that put it there, again), a lower attempt than the
 * row's, a row QUEUED again (its worker was lost, or its dispatch rolled back: the next dispatch
 * decides), a terminal row. A failure that counts is retried, after {@code backoff × 2^(attempt −
 * 1)} capped at {@code maxBackoff}, when its error is retryable and the attempt is below {@code
 * maxAttempts}; otherwise the generation ends FAILED.
 */
final class RetryPolicy {

  /** The decision. */
  sealed interface Decision permits Ignore, Retry, Fail {}

  /** A duplicate or late result: change nothing. */
  record Ignore(String reason) implements Decision {}

  /** Move the row to RETRYING; the scheduler dispatches it again at {@code at}. */
  record Retry(Instant at) implements Decision {}

  /** End FAILED and dead-letter it; {@code exhausted}: retryable, but out of attempts. */
  record Fail(boolean exhausted) implements Decision {}

  private final int maxAttempts;
  private final Duration backoff;
  private final Duration maxBackoff;

  RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff) {
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
  }

  static RetryPolicy of(GatewayProperties.Retry retry) {
    return new RetryPolicy(retry.maxAttempts(), retry.backoff(), retry.maxBackoff());
  }

  /** The wait after failed attempt {@code attempt} (1, 2, ...): base × 2^(attempt − 1), capped. */
  Duration backoffAfter(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    Duration wait = backoff;
    for (int i = 1; i < attempt && !wait.isZero() && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  /**
   * Decides what a FAILED result does to the row.
   *
   * @param state the row's state
   * @param attempt the row's attempt
   * @param result the FAILED result
   * @param now the recording time, which the backoff starts from
   */
  Decision decide(GenerationState state, int attempt, GenerationResult result, Instant now) {
    if (result.status() != GenerationState.FAILED) {
      throw new IllegalArgumentException("not a FAILED result: " + result);
    }
    if (state.isTerminal()) {
      return new Ignore("the generation already ended " + state);
    }
    if (state != GenerationState.DISPATCHED && state != GenerationState.RUNNING) {
      return new Ignore("the generation is " + state + " at attempt " + attempt
          + ", not dispatched");
    }
    if (result.attempt() != attempt) {
      return new Ignore("the result is of attempt " + result.attempt() + ", the generation is at "
          + attempt);
    }
    if (!result.error().retryable()) {
      return new Fail(false);
    }
    if (attempt >= maxAttempts) {
      return new Fail(true);
    }
    return new Retry(now.plus(backoffAfter(attempt)));
  }
}
