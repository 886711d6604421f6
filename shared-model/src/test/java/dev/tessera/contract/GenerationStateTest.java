package dev.tessera.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GenerationStateTest {

  @Test
  void terminalStatesNeverChange() {
    for (GenerationState from : GenerationState.terminal()) {
      for (GenerationState to : GenerationState.values()) {
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isFalse();
      }
    }
  }

  @Test
  void theHappyPathIsAllowedAndNothingGoesBackToQueued() {
    assertThat(GenerationState.QUEUED.canMoveTo(GenerationState.DISPATCHED)).as("dispatch").isTrue();
    assertThat(GenerationState.DISPATCHED.canMoveTo(GenerationState.RUNNING)).as("start").isTrue();
    assertThat(GenerationState.RUNNING.canMoveTo(GenerationState.SUCCEEDED)).as("finish").isTrue();
    assertThat(GenerationState.RUNNING.canMoveTo(GenerationState.RETRYING)).as("retry").isTrue();
    assertThat(GenerationState.RETRYING.canMoveTo(GenerationState.DISPATCHED)).as("redispatch").isTrue();
    assertThat(GenerationState.RUNNING.canMoveTo(GenerationState.DISPATCHED)).as("no way back").isFalse();
    for (GenerationState s : GenerationState.values()) {
      assertThat(s.canMoveTo(GenerationState.QUEUED)).as(s + " -> QUEUED").isFalse();
    }
  }
}
