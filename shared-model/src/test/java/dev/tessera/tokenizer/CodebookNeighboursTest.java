package dev.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodebookNeighboursTest {

  @Test
  void theBoundedHeapGivesTheFullSortsNeighboursTiesIncluded() {
    SplittableRandom r = new SplittableRandom(4);
    float[][] book = new float[40][4];
    for (float[] row : book) {
      for (int d = 0; d < 4; d++) {
        row[d] = r.nextInt(3); // few distinct values: many equal distances, so ties matter
      }
    }
    float[] flat = new float[40 * 4];
    for (int q = 0; q < 40; q++) {
      System.arraycopy(book[q], 0, flat, q * 4, 4);
    }
    int[][] want = VqTokenizer.of(VqConfig.of(40, 1), book).nearestNeighbours(7);
    assertThat(CodebookNeighbours.nearest(flat, 4, 7)).isDeepEqualTo(want);
  }
}
