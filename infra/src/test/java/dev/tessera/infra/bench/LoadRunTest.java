package dev.tessera.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadRunTest {

  @Test
  void theDefaultDrainIsThreeTimesWhatTheUnfinishedNeedWithinBounds() {
    assertThat(LoadRun.autoDrain(32, 1.0)).as("32 unfinished at 1/s")
        .isEqualTo(Duration.ofSeconds(96));
    assertThat(LoadRun.autoDrain(4, 2.0)).as("short: at least 30 s")
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(LoadRun.autoDrain(500, 0.5)).as("long: at most 10 min")
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(LoadRun.autoDrain(8, 0.0)).as("nothing finished under load: the maximum")
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(LoadRun.autoDrain(0, 0.0)).as("nothing unfinished").isEqualTo(Duration.ofSeconds(30));
  }
}
