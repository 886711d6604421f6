package dev.tessera.tokenizer.llamagen;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The DJL decoder against the loop-by-loop {@link NaiveVqDecoder} on a tiny VQ of the same tree. */
class VqDecoderTest {

  /** 3 resolutions (4× up-sampling), widths 32/32/64, 16 codes of 4, one res block per level. */
  static final VqModelConfig TINY = new VqModelConfig(16, 4, true, 32, 32, List.of(1, 1, 2), 1, 3);

  /** Seeded weights scaled like a trained network's (unit-ish activations). */
  static Map<String, float[]> randomWeights(VqModelConfig c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, float[]> w = new HashMap<>();
    VqDecoderShapes.of(c).forEach((name, shape) -> {
      float[] v = new float[(int) shape.size()];
      boolean norm = name.contains("norm");
      double scale = shape.dimension() == 4 ? 1.5 / Math.sqrt(shape.size() / shape.get(0)) : 0.3;
      for (int i = 0; i < v.length; i++) {
        double g = r.nextGaussian();
        v[i] = (float) (norm && name.endsWith(".weight") ? 1 + 0.2 * g : scale * g);
      }
      w.put(name, v);
    });
    return w;
  }

  static VqDecoder djl(VqModelConfig c, Map<String, float[]> w) {
    NDManager m = NDManager.newBaseManager();
    Map<String, NDArray> arrays = new HashMap<>();
    Map<String, Shape> shapes = VqDecoderShapes.of(c);
    w.forEach((k, v) -> arrays.put(k, m.create(v, shapes.get(k))));
    return VqDecoder.of(c, m, arrays);
  }

  private static double maxAbsDiff(float[] got, double[][][] want) {
    double worst = 0;
    int i = 0;
    for (double[][] plane : want) {
      for (double[] row : plane) {
        for (double v : row) {
          worst = Math.max(worst, Math.abs(got[i++] - v));
        }
      }
    }
    return worst;
  }

  private static double maxAbs(double[][][] x) {
    double m = 0;
    for (double[][] plane : x) {
      for (double[] row : plane) {
        for (double v : row) {
          m = Math.max(m, Math.abs(v));
        }
      }
    }
    return m;
  }

  @Test
  void decodesLikeTheLoopByLoopFormulationToFloat32Rounding() {
    Map<String, float[]> w = randomWeights(TINY, 11);
    NaiveVqDecoder naive = new NaiveVqDecoder(TINY, w);
    int[][] codes = {{3, 15, 0, 7}, {9, 9, 2, 12}}; // two 2×2 grids in one batch → 8×8 images
    try (VqDecoder decoder = djl(TINY, w)) {
      float[][] got = decoder.decode(codes);
      for (int b = 0; b < codes.length; b++) {
        double[][][] want = naive.decode(codes[b]);
        assertThat(want[0].length).as("image side").isEqualTo(8);
        assertThat(got[b]).as("values per image").hasSize(3 * 8 * 8);
        double scale = maxAbs(want);
        assertThat(scale).as("the output is not degenerate").isGreaterThan(0.1);
        assertThat(maxAbsDiff(got[b], want) / scale).as("relative error, image %d", b)
            .isLessThan(2e-5);
      }
      // the tolerance separates: another image's reference is far outside it
      double other = maxAbsDiff(got[0], naive.decode(codes[1])) / maxAbs(naive.decode(codes[1]));
      assertThat(other).as("a different grid's output").isGreaterThan(1e-2);
    }
  }

  @Test
  void aDecoderWithoutL2NormUsesTheRawCodebook() {
    VqModelConfig raw = new VqModelConfig(16, 4, false, 32, 32, List.of(1, 2), 1, 3);
    Map<String, float[]> w = randomWeights(raw, 5);
    int[] codes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    try (VqDecoder decoder = djl(raw, w)) {
      double[][][] want = new NaiveVqDecoder(raw, w).decode(codes);
      assertThat(maxAbsDiff(decoder.decode(new int[][] {codes})[0], want) / maxAbs(want))
          .isLessThan(2e-5);
    }
  }

  @Test
  void theEachOpMattersTheNaiveUpsampleIsNearestNotBilinear() {
    double[][][] x = {{{1, 2}, {3, 4}}};
    double[][][] up = NaiveVqDecoder.upsample(x);
    assertThat(up[0][1]).containsExactly(1, 1, 2, 2);
    assertThat(up[0][3]).containsExactly(3, 3, 4, 4);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      assertThat(VqDecoder.upsample(a).toFloatArray())
          .containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    }
  }

  @Test
  void pngIsRgbAtSixteenPixelsPerTokenForVq16Shapes() throws Exception {
    Map<String, float[]> w = randomWeights(TINY, 3);
    try (VqDecoder decoder = djl(TINY, w)) {
      byte[] png = decoder.toPng(new int[] {1, 2, 3, 4});
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertThat(img.getWidth()).isEqualTo(8);
      assertThat(img.getColorModel().getNumComponents()).as("RGB").isEqualTo(3);
      float[] chw = decoder.decode(new int[][] {{1, 2, 3, 4}})[0];
      int rgb = img.getRGB(5, 2);
      int plane = 64;
      int i = 2 * 8 + 5;
      assertThat((rgb >> 16) & 0xff).isEqualTo(dev.tessera.image.RgbPng.toByte(chw[i]));
      assertThat((rgb >> 8) & 0xff).isEqualTo(dev.tessera.image.RgbPng.toByte(chw[plane + i]));
      assertThat(rgb & 0xff).isEqualTo(dev.tessera.image.RgbPng.toByte(chw[2 * plane + i]));
    }
    assertThat(VqModelConfig.vq16().downsampleFactor()).isEqualTo(16);
  }
}
