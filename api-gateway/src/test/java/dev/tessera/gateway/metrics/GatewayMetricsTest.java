package dev.tessera.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationState;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.generation.GenerationRow;
import dev.tessera.gateway.generation.GenerationView;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry);

  @Test
  void aFinishedGenerationIsCountedAndItsEndToEndLatencyRecordedByModelStrategyAndStatus() {
    metrics.requestFinished(row("speculative", GenerationState.SUCCEEDED, 1_500L));
    metrics.requestFinished(row("speculative", GenerationState.SUCCEEDED, 700L));
    metrics.requestFinished(row("ar", GenerationState.EXPIRED, 30_000L));

    assertThat(count("speculative", "SUCCEEDED")).as("succeeded speculative").isEqualTo(2);
    assertThat(count("ar", "EXPIRED")).as("expired ar").isEqualTo(1);
    Timer e2e = registry.get("tessera.e2e.request.latency")
        .tags("model", "fm-ar", "strategy", "speculative", "status", "SUCCEEDED").timer();
    assertThat(e2e.count()).as("one latency per finished generation").isEqualTo(2);
    assertThat(e2e.totalTime(TimeUnit.MILLISECONDS)).as("1.5 s + 0.7 s").isEqualTo(2_200);
  }

  @Test
  void retriesAndDeadLettersStartAtZeroAndCount() {
    assertThat(registry.get("tessera.request.retries").counter().count())
        .as("retries exist before the first one").isZero();
    assertThat(registry.get("tessera.dead.letters").counter().count())
        .as("dead letters exist before the first one").isZero();

    metrics.retryScheduled();
    metrics.deadLettered();
    metrics.deadLettered();

    assertThat(registry.get("tessera.request.retries").counter().count()).as("retries")
        .isEqualTo(1);
    assertThat(registry.get("tessera.dead.letters").counter().count()).as("dead letters")
        .isEqualTo(2);
  }

  private double count(String strategy, String status) {
    return registry.get("tessera.requests")
        .tags("model", "fm-ar", "strategy", strategy, "status", status).counter().count();
  }

  private static GenerationRow row(String strategy, GenerationState state, long e2eMs) {
    Instant end = T0.plusMillis(e2eMs);
    return new GenerationRow(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "fm-ar",
        strategy, 3, 7L, SamplingParams.DEFAULT, StrategyParams.DEFAULT, "normal", null, state, 1,
        null, null,
        new GenerationView.Timestamps(T0, null, null, null,
            state == GenerationState.SUCCEEDED ? end : null, null, null,
            state == GenerationState.EXPIRED ? end : null),
        null, new GenerationView.Latency(null, null, null, null, e2eMs), null, null, false);
  }
}
