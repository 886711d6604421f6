package dev.tessera.scheduler.ordering;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Strategy;
import java.util.Map;

/**
 * Decode work of one request, the unit tenant fairness is measured in: tokens per image × model cost ×
 * strategy factor. A model or strategy not listed costs 1.0 per token, so with no configuration every
 * image of every model costs {@code defaultTokensPerImage}.
 *
 * @param defaultTokensPerImage tokens of an image of a model not in {@code tokensPerImage}
 * @param tokensPerImage tokens per image by model name (e.g. 256 for a 16×16 grid)
 * @param modelCost relative cost of one token by model name (bigger models cost more per step)
 * @param strategyFactor relative cost of one token by strategy (measured decode time per image
 *     relative to {@code ar}; accelerated strategies do less target work per token)
 */
public record WorkCost(int defaultTokensPerImage, Map<String, Integer> tokensPerImage,
    Map<String, Double> modelCost, Map<Strategy, Double> strategyFactor) {

  /** Every image costs 256 tokens of work: the shape of the fm-ar grid, with no other tuning. */
  public static final WorkCost UNIFORM = new WorkCost(256, Map.of(), Map.of(), Map.of());

  public WorkCost {
    if (defaultTokensPerImage < 1) {
      throw new IllegalArgumentException("tokens per image must be >= 1");
    }
    tokensPerImage = Map.copyOf(tokensPerImage == null ? Map.of() : tokensPerImage);
    modelCost = Map.copyOf(modelCost == null ? Map.of() : modelCost);
    strategyFactor = Map.copyOf(strategyFactor == null ? Map.of() : strategyFactor);
    for (double v : modelCost.values()) {
      requirePositive(v);
    }
    for (double v : strategyFactor.values()) {
      requirePositive(v);
    }
  }

  /** The decode work of one request. */
  public double of(GenerationRequest request) {
    return tokensPerImage.getOrDefault(request.model(), defaultTokensPerImage)
        * modelCost.getOrDefault(request.model(), 1.0)
        * strategyFactor.getOrDefault(request.strategy(), 1.0);
  }

  private static void requirePositive(double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("costs must be positive and finite, was " + v);
    }
  }
}
