package dev.tessera.tokenizer.llamagen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random weights for a VQ decoder of any size: convs N(0, 1/fan_in) (activations keep their
 * scale), biases zero, GroupNorm scale one and shift zero, codebook N(0, 1). For benchmarks and
 * stand-ins; the images are noise.
 */
public final class RandomVqWeights {

  private RandomVqWeights() {}

  /** Every tensor of {@link VqDecoderShapes#of}, named, in {@code manager}. */
  public static Map<String, NDArray> create(NDManager manager, VqModelConfig config, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : VqDecoderShapes.of(config).entrySet()) {
      Shape s = e.getValue();
      float[] v = new float[Math.toIntExact(s.size())];
      String name = e.getKey();
      if (s.dimension() == 4 || name.startsWith("quantize.")) {
        double std = s.dimension() == 4 ? 1 / Math.sqrt(s.size() / s.get(0)) : 1;
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (std * r.nextGaussian());
        }
      } else if (name.contains("norm") && name.endsWith(".weight")) {
        java.util.Arrays.fill(v, 1f);
      }
      NDArray a = manager.create(v, s);
      a.setName(name);
      out.put(name, a);
    }
    return out;
  }
}
