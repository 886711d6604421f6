package dev.tessera.gateway.recorder;

import dev.tessera.gateway.generation.GenerationView;
import java.time.Duration;
import java.time.Instant;

/** Derives a finished generation's latency metadata from its state timestamps. Pure. */
final class Latencies {

  private Latencies() {}

  /**
   * The latency breakdown.
   *
   * @param queuedAt accepted by the gateway
   * @param dispatchedAt dispatched by the scheduler (null if never recorded)
   * @param runningAt admitted by the worker (null if it never ran)
   * @param finishedAt terminal state recorded
   * @param decodeMs decode time measured by the worker (null if it did not decode)
   * @param encodeMs PNG encoding time measured by the worker (null if none)
   */
  static GenerationView.Latency derive(Instant queuedAt, Instant dispatchedAt, Instant runningAt,
      Instant finishedAt, Long decodeMs, Long encodeMs) {
    return new GenerationView.Latency(
        between(queuedAt, dispatchedAt),
        between(dispatchedAt, runningAt),
        decodeMs,
        encodeMs,
        between(queuedAt, finishedAt));
  }

  /** Milliseconds from a to b, clamped at 0 (clocks of different machines may disagree a little). */
  private static Long between(Instant a, Instant b) {
    if (a == null || b == null) {
      return null;
    }
    return Math.max(0, Duration.between(a, b).toMillis());
  }
}
