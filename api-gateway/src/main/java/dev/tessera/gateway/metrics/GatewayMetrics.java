package dev.tessera.gateway.metrics;

import dev.tessera.gateway.generation.GenerationRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.stream.LongStream;
import org.springframework.stereotype.Component;

/**
 * What the gateway shows Prometheus, named after vLLM's series with a {@code tessera_} prefix:
 *
 * <ul>
 *   <li>{@code tessera_requests_total{model,strategy,status}}: generations that reached a terminal
 *       state (SUCCEEDED, FAILED, CANCELLED, EXPIRED), counted once each by the result recorder;
 *   <li>{@code tessera_e2e_request_latency_seconds{model,strategy,status}}: acceptance to terminal
 *       state recorded (vLLM's {@code e2e_request_latency_seconds});
 *   <li>{@code tessera_request_retries_total}: dispatch attempts after a retryable failure;
 *   <li>{@code tessera_dead_letters_total}: rows written to {@code dead_letters}: requests that
 *       ended FAILED (not retryable, or out of attempts) and results the recorder gave up on.
 * </ul>
 */
@Component
public class GatewayMetrics {

  /** Bucket bounds of the end-to-end latency: from a tiny model's image to minutes of backlog. */
  static final Duration[] E2E_BUCKETS = LongStream.of(100, 250, 500, 1_000, 2_500, 5_000, 10_000,
      20_000, 30_000, 60_000, 120_000, 300_000, 600_000)
      .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final Counter retries;
  private final Counter deadLetters;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.retries = Counter.builder("tessera.request.retries")
        .description("Generations sent back for another dispatch after a retryable failure")
        .register(registry);
    this.deadLetters = Counter.builder("tessera.dead.letters")
        .description("Failed requests and unprocessable results written to dead_letters")
        .register(registry);
  }

  /**
   * The recorder made a generation terminal; {@code row} is the stored row. Called once per
   * generation: a redelivered result finds the row terminal and does not come here.
   */
  public void requestFinished(GenerationRow row) {
    String status = row.state().name();
    Counter.builder("tessera.requests")
        .description("Generations that reached a terminal state")
        .tags("model", row.model(), "strategy", row.strategy(), "status", status)
        .register(registry)
        .increment();
    Long e2eMs = row.latency() == null ? null : row.latency().endToEndMs();
    if (e2eMs != null) {
      Timer.builder("tessera.e2e.request.latency")
          .description("Acceptance by the gateway to terminal state recorded")
          .tags("model", row.model(), "strategy", row.strategy(), "status", status)
          .serviceLevelObjectives(E2E_BUCKETS)
          .register(registry)
          .record(Duration.ofMillis(e2eMs));
    }
  }

  /**
   * A generation moved to RETRYING and will be dispatched again. Called by the result recorder,
   * once per attempt (a duplicate failure changes nothing and does not come here).
   */
  public void retryScheduled() {
    retries.increment();
  }

  /**
   * A dead letter was written: by the result recorder for a request that ended FAILED, or by its
   * error handler ({@code RecorderErrorHandler}) for a result it could not store.
   */
  public void deadLettered() {
    deadLetters.increment();
  }
}
