package dev.tessera.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class AttentionMasksTest {

  @Test
  void aStepWhoseQueriesSeeEveryKeyNeedsNoMask() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(AttentionMasks.fromLimits(m, new int[][] {{9}, {9}}, 10))
          .as("two causal rows at the same position see all 10 keys").isNull();
      assertThat(AttentionMasks.fromLimits(m, new int[][] {{12, 12, 12, 12}}, 13))
          .as("a PAR group step: every query sees the whole group").isNull();
    }
  }

  @Test
  void rowsAtDifferentPositionsHideTheKeysPastEachLimit() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mask = AttentionMasks.fromLimits(m, new int[][] {{3}, {1}}, 4);
      assertThat(mask).as("the shorter row must not see the longer row's keys").isNotNull();
      assertThat(mask.toFloatArray()).containsExactly(0, 0, 0, 0,
          0, 0, AttentionMasks.HIDDEN, AttentionMasks.HIDDEN);
    }
  }
}
