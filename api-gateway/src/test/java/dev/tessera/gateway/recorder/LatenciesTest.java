package dev.tessera.gateway.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.gateway.generation.GenerationView;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LatenciesTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void theBreakdownFollowsTheStateTimestamps() {
    GenerationView.Latency l = Latencies.derive(T0, T0.plusMillis(40), T0.plusMillis(100),
        T0.plusMillis(1500), 1300L, 20L);

    assertThat(l.queueMs()).as("queued → dispatched").isEqualTo(40);
    assertThat(l.batchWaitMs()).as("dispatched → running").isEqualTo(60);
    assertThat(l.decodeMs()).as("decode as measured by the worker").isEqualTo(1300);
    assertThat(l.encodeMs()).as("encode as measured by the worker").isEqualTo(20);
    assertThat(l.endToEndMs()).as("queued → finished").isEqualTo(1500);
  }

  @Test
  void missingStatesGiveNullsAndClockSkewNeverGivesNegatives() {
    GenerationView.Latency l = Latencies.derive(T0, null, T0.minusMillis(5), T0.plusMillis(9),
        null, null);

    assertThat(l.queueMs()).as("never dispatched").isNull();
    assertThat(l.batchWaitMs()).as("no dispatch time").isNull();
    assertThat(l.endToEndMs()).as("end to end still known").isEqualTo(9);
    assertThat(Latencies.derive(T0, T0.plusMillis(10), T0.plusMillis(3), T0, null, null)
        .batchWaitMs()).as("a worker clock slightly behind is clamped to 0").isZero();
  }
}
