package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;
import static dev.tessera.contract.Checks.requireText;

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
 * @param family {@code tessera} or {@code llamagen-c2i}: which tokenizer renders its images
 * @param imageSize side of its PNGs in pixels
 * @param channels colour channels of its PNGs (1 grey, 3 RGB)
 * @param classNames one name per class label, or empty
 */
public record ModelDescriptor(
    String name, int gridSide, int tokensPerImage, int numClasses, int vocabSize,
    List<Strategy> strategies, int lanternMaxK, String family, int imageSize, int channels,
    List<String> classNames) {

  /** The family of a descriptor that names none: Tessera's own tokenizer, as before families. */
  public static final String DEFAULT_FAMILY = "tessera";

  public ModelDescriptor {
    requireText(name, "name");
    require(gridSide > 0 && tokensPerImage == gridSide * gridSide,
        "tokens_per_image must be grid_side², was " + tokensPerImage + " for side " + gridSide);
    require(numClasses > 0, "num_classes must be > 0");
    require(vocabSize > 1, "vocab_size must be > 1");
    require(strategies != null && !strategies.isEmpty(), "a model supports at least one strategy");
    strategies = strategies.stream().distinct().sorted(Comparator.naturalOrder()).toList();
    require(lanternMaxK >= 0, "lantern_max_k must be >= 0");
    family = family == null ? DEFAULT_FAMILY : family;
    if (imageSize == 0 && channels == 0) { // from a worker that predates image sizes
      imageSize = 2 * gridSide;
      channels = 1;
    }
    require(imageSize > 0, "image_size must be > 0");
    require(channels == 1 || channels == 3, "channels must be 1 or 3, was " + channels);
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
    require(classNames.isEmpty() || classNames.size() == numClasses,
        "class_names must name every class (" + numClasses + "), has " + classNames.size());
  }

  /** A Tessera-family descriptor (32×32 grey images for a 16×16 grid), as before families. */
  public ModelDescriptor(String name, int gridSide, int tokensPerImage, int numClasses,
      int vocabSize, List<Strategy> strategies, int lanternMaxK) {
    this(name, gridSide, tokensPerImage, numClasses, vocabSize, strategies, lanternMaxK,
        DEFAULT_FAMILY, 2 * gridSide, 1, List.of());
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
