package dev.tessera.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Hyper-parameters of {@code fm-classifier} training.
 *
 * @param epochs passes over the training split
 * @param batchSize images per step
 * @param learningRate Adam's peak learning rate (cosine decay to 1% of it over all steps)
 * @param seed engine seed (initialisation, dropout) and shuffle/augmentation seed
 */
public record ClassifierTrainingConfig(
    @JsonProperty("epochs") int epochs,
    @JsonProperty("batch_size") int batchSize,
    @JsonProperty("learning_rate") float learningRate,
    @JsonProperty("seed") long seed) {

  /** Validates the ranges. */
  public ClassifierTrainingConfig {
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "need epochs >= 1, batch_size >= 1, learning_rate > 0; got " + epochs + ", " + batchSize + ", " + learningRate);
    }
  }

  /** The shipped model's settings. */
  public static ClassifierTrainingConfig defaults() {
    return new ClassifierTrainingConfig(6, 64, 2e-3f, 1);
  }
}
