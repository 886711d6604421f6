package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationState;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.StrategyParams;
import java.time.Instant;

/**
 * What {@code GET /v1/generations/{id}} answers (snake_case JSON), and what the result cache holds
 * for a finished generation.
 *
 * @param id generation id
 * @param status current state
 * @param model model name
 * @param strategy strategy API name
 * @param classLabel class conditioned on
 * @param seed the seed used (chosen by the gateway if the request had none)
 * @param sampling sampling parameters
 * @param strategyParams strategy parameters
 * @param priority scheduling priority
 * @param deadline time by which decoding had to start, or null
 * @param attempt dispatch attempts so far
 * @param workerId the worker that decoded it, once running
 * @param batchId the batch it was dispatched in
 * @param timestamps when it entered each state it went through
 * @param latency latency metadata in milliseconds, once finished
 * @param metrics decode metrics, once succeeded
 * @param error why it failed, if it did
 * @param links where to read it and its image
 */
public record GenerationView(
    String id,
    GenerationState status,
    String model,
    String strategy,
    int classLabel,
    long seed,
    SamplingParams sampling,
    StrategyParams strategyParams,
    String priority,
    Instant deadline,
    int attempt,
    String workerId,
    String batchId,
    Timestamps timestamps,
    Latency latency,
    Metrics metrics,
    Error error,
    Links links) {

  /** The moment of entry into each state; null for states it has not been in. */
  public record Timestamps(
      Instant queuedAt, Instant dispatchedAt, Instant runningAt, Instant retryingAt,
      Instant succeededAt, Instant failedAt, Instant cancelledAt, Instant expiredAt) {

    /** When it reached its terminal state, or null. */
    public Instant finishedAt() {
      return succeededAt != null ? succeededAt
          : failedAt != null ? failedAt
          : cancelledAt != null ? cancelledAt
          : expiredAt;
    }
  }

  /**
   * Where the time went, in milliseconds: waiting to be dispatched (queue), dispatched but not yet
   * decoding (batch wait), decoding and encoding on the worker, and in all from acceptance to the
   * recorded result.
   */
  public record Latency(Long queueMs, Long batchWaitMs, Long decodeMs, Long encodeMs,
      Long endToEndMs) {}

  /** Decode metrics as reported by the worker. */
  public record Metrics(int steps, int targetForwards, int drafterForwards, int draftedTokens,
      int acceptedTokens, double meanAcceptedLength, int[] acceptedHistogram) {}

  /** Why it failed. */
  public record Error(String code, String message) {}

  /** Relative links. */
  public record Links(String self, String image) {}

  /** The view of a row. */
  public static GenerationView of(GenerationRow row) {
    String self = "/v1/generations/" + row.id();
    return new GenerationView(row.id().toString(), row.state(), row.model(), row.strategy(),
        row.classLabel(), row.seed(), row.sampling(), row.strategyParams(), row.priority(),
        row.deadline(), row.attempt(), row.workerId(),
        row.batchId() == null ? null : row.batchId().toString(), row.timestamps(), row.latency(),
        row.metrics(),
        row.errorCode() == null ? null : new Error(row.errorCode(), row.errorMessage()),
        new Links(self, row.state() == GenerationState.SUCCEEDED ? self + "/image.png" : null));
  }
}
