package dev.tessera.serving;

import dev.tessera.decoding.Strategy;
import java.util.Set;

/**
 * What a served generative model offers, as the API lists it.
 *
 * @param name model name used by API and CLI (e.g. {@code fm-ar})
 * @param gridSide token grid side (16 for a 16×16 grid of 256 tokens)
 * @param numClasses number of real classes (labels 0..numClasses-1; the null class is internal)
 * @param vocabSize VQ codebook size
 * @param strategies strategies this model can decode with
 * @param lanternMaxK largest LANTERN neighbourhood k the model's neighbour table holds (0 if none)
 */
public record ModelInfo(
    String name, int gridSide, int numClasses, int vocabSize, Set<Strategy> strategies,
    int lanternMaxK) {

  public ModelInfo {
    strategies = Set.copyOf(strategies);
  }

  /** Tokens per image. */
  public int tokensPerImage() {
    return gridSide * gridSide;
  }
}
