package dev.tessera.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceLayoutTest {

  @Test
  void parOrderPutsLocalIndexJOfEveryRegionInGroupJ() {
    GptConfig c = GptConfig.of(32, 1, 2, 64, 3, 16).withParallelTokens(4); // M = 2, S = 8
    SequenceLayout l = new SequenceLayout(c);
    // raster (row 9, col 3): region 2 (bottom-left), local (1, 3) -> j = 11; PAR index 11*4 + 2
    assertThat(l.sequenceIndex(9 * 16 + 3)).as("PAR index of (9, 3)").isEqualTo(11 * 4 + 2);
    // group 0 = top-left token of each region, in region order
    assertThat(new int[] {l.rasterIndex(0), l.rasterIndex(1), l.rasterIndex(2), l.rasterIndex(3)})
        .as("initial tokens").containsExactly(0, 8, 8 * 16, 8 * 16 + 8);
  }

  @Test
  void orderAndInverseRoundTrip() {
    for (int n : new int[] {1, 4, 16}) {
      SequenceLayout l = new SequenceLayout(GptConfig.of(32, 1, 2, 64, 3, 16).withParallelTokens(n));
      int[] raster = new int[256];
      for (int i = 0; i < 256; i++) {
        raster[i] = i;
      }
      int[] seq = l.toSequenceOrder(raster);
      assertThat(l.toRasterOrder(seq)).as("round trip, n = " + n).isEqualTo(raster);
      assertThat(seq).as("a permutation, n = " + n).containsExactlyInAnyOrder(raster);
    }
  }

  @Test
  void parInputsPlaceTransitionTokensAfterTheFirstGroupWithZeroRope() {
    GptConfig c = GptConfig.of(32, 1, 2, 64, 3, 4).withParallelTokens(4);
    SequenceLayout l = new SequenceLayout(c);
    int[] seq = new int[16];
    for (int i = 0; i < 16; i++) {
      seq[i] = 100 + i;
    }
    long[][] in = l.teacherForcedInputs(seq, 2);
    assertThat(in[0]).as("[C, g0 (4), M1..M3, g1 .. g2]").containsExactly(
        Gpt.classId(c, 2), 100, 101, 102, 103, Gpt.transitionId(c, 0), Gpt.transitionId(c, 1),
        Gpt.transitionId(c, 2), 104, 105, 106, 107, 108, 109, 110, 111);
    assertThat(new long[] {in[1][0], in[1][5], in[1][6], in[1][7]}).as("zero RoPE rows")
        .containsOnly((long) Rope2d.ZERO_ROW);
    assertThat(l.maskLimits()).as("group-bidirectional limits")
        .containsExactly(0, 1, 2, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15, 15, 15);
  }
}
