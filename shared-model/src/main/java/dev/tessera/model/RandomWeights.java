package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded initial weights, drawn on the host so that they do not depend on the engine's generator:
 * N(0, 0.02) for embeddings and linears (LlamaGen's init), ones for norms.
 */
public final class RandomWeights {

  private RandomWeights() {}

  /** Arrays for every tensor of {@code config}, owned by {@code manager}. */
  public static Map<String, NDArray> create(NDManager manager, GptConfig config, long seed) {
    return create(manager, GptWeights.expectedShapes(config), seed);
  }

  /** Arrays for every named shape: N(0, 0.02), ones for norm weights, zeros for biases. */
  public static Map<String, NDArray> create(NDManager manager, Map<String, Shape> shapes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, NDArray> out = new HashMap<>();
    for (Map.Entry<String, Shape> e : shapes.entrySet()) {
      int n = (int) e.getValue().size();
      float[] values = new float[n];
      boolean norm = GptWeights.isNormWeight(e.getKey());
      for (int i = 0; i < n; i++) {
        values[i] = norm ? 1f : e.getKey().endsWith(".bias") ? 0f
            : (float) (random.nextGaussian() * 0.02);
      }
      NDArray a = manager.create(values, e.getValue());
      a.setName(e.getKey());
      out.put(e.getKey(), a);
    }
    return out;
  }
}
