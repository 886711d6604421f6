package dev.tessera.scheduler.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.contract.Priority;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgingTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final Aging aging = new Aging(Duration.ofSeconds(30));

  @Test
  void aLowRequestRisesOneLevelPerFullAgingStepUntilHigh() {
    assertThat(aging.effectiveLevel(Priority.LOW, T0, T0)).as("fresh low").isEqualTo(2);
    assertThat(aging.effectiveLevel(Priority.LOW, T0, T0.plusMillis(29_999)))
        .as("just under one step").isEqualTo(2);
    assertThat(aging.effectiveLevel(Priority.LOW, T0, T0.plusSeconds(30)))
        .as("one step: normal").isEqualTo(1);
    assertThat(aging.effectiveLevel(Priority.LOW, T0, T0.plusSeconds(60)))
        .as("two steps: high").isEqualTo(0);
    assertThat(aging.effectiveLevel(Priority.LOW, T0, T0.plusSeconds(3600)))
        .as("never above high").isEqualTo(0);
  }

  @Test
  void highStaysHighAndNormalNeedsOneStep() {
    assertThat(aging.effectiveLevel(Priority.HIGH, T0, T0.plusSeconds(100))).as("high")
        .isEqualTo(0);
    assertThat(aging.effectiveLevel(Priority.NORMAL, T0, T0.plusSeconds(29))).as("normal, 29 s")
        .isEqualTo(1);
    assertThat(aging.effectiveLevel(Priority.NORMAL, T0, T0.plusSeconds(30))).as("normal, 30 s")
        .isEqualTo(0);
  }

  @Test
  void aClockThatWentBackwardsDoesNotAgeAnything() {
    assertThat(aging.effectiveLevel(Priority.LOW, T0, T0.minusSeconds(90))).as("negative wait")
        .isEqualTo(2);
  }

  @Test
  void aZeroStepIsRejected() {
    assertThatThrownBy(() -> new Aging(Duration.ZERO)).as("zero step")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
