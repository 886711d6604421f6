package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;
import static dev.tessera.contract.Checks.requireText;

import dev.tessera.decoding.Strategy;
import dev.tessera.serving.ModelInfo;
import java.util.Comparator;
import java.util.List;

/**
 * A served model as workers advertise it and the API lists it: what a request may ask of it.
 *
 * @param name model name, e.g. {@code fm-ar}
 * @param gridSide token grid side (16 → a 16×16 grid)
 * @param tokensPerImage tokens decoded per image (gridSide²)
 * @param numClasses valid class labels are {@code 0 .. numClasses-1}
 * @param vocabSize VQ codebook size
 * @param strategies strategies it decodes with, in enum order
 * @param lanternMaxK largest LANTERN neighbourhood k it supports (0 if none)
 */
public record ModelDescriptor(
    String name, int gridSide, int tokensPerImage, int numClasses, int vocabSize,
    List<Strategy> strategies, int lanternMaxK) {

  public ModelDescriptor {
    requireText(name, "name");
    require(gridSide > 0 && tokensPerImage == gridSide * gridSide,
        "tokens_per_image must be grid_side², was " + tokensPerImage + " for side " + gridSide);
    require(numClasses > 0, "num_classes must be > 0");
    require(vocabSize > 1, "vocab_size must be > 1");
    require(strategies != null && !strategies.isEmpty(), "a model supports at least one strategy");
    strategies = strategies.stream().distinct().sorted(Comparator.naturalOrder()).toList();
    require(lanternMaxK >= 0, "lantern_max_k must be >= 0");
  }

  /** The descriptor of a loaded model. */
  public static ModelDescriptor of(ModelInfo info) {
    return new ModelDescriptor(info.name(), info.gridSide(), info.tokensPerImage(),
        info.numClasses(), info.vocabSize(), List.copyOf(info.strategies()), info.lanternMaxK());
  }

  /** Whether {@code classLabel} is a valid class of this model. */
  public boolean acceptsClass(int classLabel) {
    return classLabel >= 0 && classLabel < numClasses;
  }

  /** Whether this model decodes with {@code strategy}. */
  public boolean supports(Strategy strategy) {
    return strategies.contains(strategy);
  }
}
