package dev.tessera.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.FashionMnistSample;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VqTokenizerTest {

  /** A 64-code codebook fitted on the 300-image train sample; reconstructions of unseen images stay above this. */
  static final double SAMPLE_PSNR_FLOOR_DB = 24.0;

  static LabelledImages train;
  static LabelledImages test;
  static VqTokenizer tok;

  @BeforeAll
  static void fitSmallCodebook() throws IOException {
    train = FashionMnistSample.load(Split.TRAIN);
    test = FashionMnistSample.load(Split.TEST);
    tok = VqTokenizer.fit(train.images(), new VqConfig(64, 7, 20_000, 15), line -> { });
  }

  @Test
  void encodeGivesA16By16GridOfValidCodes() {
    int[] tokens = tok.encode(test.images()[0]);
    assertThat(tokens).as("token count").hasSize(256);
    assertThat(java.util.Arrays.stream(tokens).boxed()).as("token range").allMatch(t -> t >= 0 && t < 64);
  }

  @Test
  void roundTripOnTheTestSampleIsAboveThePsnrFloor() {
    double psnr = Psnr.roundTrip(tok, test.images());
    assertThat(psnr).as("test-sample PSNR (dB) of a 64-code codebook").isGreaterThan(SAMPLE_PSNR_FLOOR_DB);
  }

  @Test
  void decodingACodebookTokenGivesItsVectorBack() {
    int[] tokens = new int[256];
    tokens[17] = 5; // row 1, column 1: pixels (2..3, 2..3)
    float[] img = tok.decode(tokens);
    float[] c5 = tok.codebook()[5];
    assertThat(new float[] {img[2 * 32 + 2], img[2 * 32 + 3], img[3 * 32 + 2], img[3 * 32 + 3]})
        .as("patch 17 pixels").containsExactly(c5);
  }

  @Test
  void sameSeedGivesTheSameCodebookAndAnotherSeedDoesNot() {
    VqConfig cfg = new VqConfig(32, 3, 5_000, 10);
    float[][] a = VqTokenizer.fit(train.images(), cfg, line -> { }).codebook();
    float[][] b = VqTokenizer.fit(train.images(), cfg, line -> { }).codebook();
    float[][] c = VqTokenizer.fit(train.images(), new VqConfig(32, 4, 5_000, 10), line -> { }).codebook();
    assertThat(a).as("same seed, same codebook").isDeepEqualTo(b);
    assertThat(java.util.Arrays.deepEquals(a, c)).as("different seed, different codebook").isFalse();
  }

  @Test
  void codesAreOrderedByMeanIntensity() {
    float[][] c = tok.codebook();
    for (int q = 1; q < c.length; q++) {
      assertThat(sum(c[q])).as("mean of code %d vs code %d", q, q - 1).isGreaterThanOrEqualTo(sum(c[q - 1]));
    }
  }

  @Test
  void saveThenLoadGivesTheSameTokens(@TempDir Path dir) throws IOException {
    tok.save(dir);
    VqTokenizer back = VqTokenizer.load(dir);
    assertThat(back.codebook()).as("codebook after load").isDeepEqualTo(tok.codebook());
    assertThat(back.config()).as("config after load").isEqualTo(tok.config());
    assertThat(back.encode(test.images()[3])).as("tokens after load").containsExactly(tok.encode(test.images()[3]));
  }

  @Test
  void neighbourTablesListOtherCodesByAscendingDistance() {
    int[][] nn = tok.nearestNeighbours(10);
    float[][] c = tok.codebook();
    assertThat(nn).as("rows").hasNumberOfRows(64);
    for (int q = 0; q < nn.length; q++) {
      assertThat(nn[q]).as("row %d", q).hasSize(10).doesNotContain(q).doesNotHaveDuplicates();
      for (int j = 1; j < 10; j++) {
        assertThat(dist(c[q], c[nn[q][j]])).as("row %d col %d", q, j).isGreaterThanOrEqualTo(dist(c[q], c[nn[q][j - 1]]));
      }
    }
  }

  private static double sum(float[] v) {
    return v[0] + v[1] + v[2] + v[3];
  }

  private static double dist(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }
}
