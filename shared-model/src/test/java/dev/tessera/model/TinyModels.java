package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Tiny real-architecture models with seeded random weights, for tests. */
public final class TinyModels {

  private TinyModels() {}

  /** dim 32, 2 layers, 2 heads (hd 16), 64 codes, 3 classes, 4×4 grid. */
  public static GptConfig config() {
    return GptConfig.of(32, 2, 2, 64, 3, 4);
  }

  public static Gpt gpt(NDManager manager, GptConfig config, long seed) {
    Map<String, NDArray> w = RandomWeights.create(manager, config, seed);
    // larger weights than the N(0, 0.02) init so that logits differ visibly between tokens
    w.replaceAll((k, v) -> GptWeights.isNormWeight(k) ? v : named(v.mul(10f), k));
    return new Gpt(GptWeights.of(config, w::get), manager, true);
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
