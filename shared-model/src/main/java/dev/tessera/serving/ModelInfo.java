package dev.tessera.serving;

import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Strategy;
import java.util.List;
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
 * @param family the tokenizer family that renders its images
 * @param imageSize the PNG's side in pixels
 * @param channels the PNG's colour channels (1 grey, 3 RGB)
 * @param classNames one name per class label, or empty when the config names none
 */
public record ModelInfo(
    String name, int gridSide, int numClasses, int vocabSize, Set<Strategy> strategies,
    int lanternMaxK, ModelFamily family, int imageSize, int channels, List<String> classNames) {

  public ModelInfo {
    strategies = Set.copyOf(strategies);
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }

  /** A Tessera-family model (2×2-pixel grey patches), as before families. */
  public ModelInfo(String name, int gridSide, int numClasses, int vocabSize,
      Set<Strategy> strategies, int lanternMaxK) {
    this(name, gridSide, numClasses, vocabSize, strategies, lanternMaxK, ModelFamily.TESSERA,
        2 * gridSide, 1, List.of());
  }

  /** This model as workers advertise it and the API lists it. */
  public ModelDescriptor descriptor() {
    return new ModelDescriptor(name, gridSide, tokensPerImage(), numClasses, vocabSize,
        List.copyOf(strategies), lanternMaxK, family.configName(), imageSize, channels, classNames);
  }

  /** Tokens per image. */
  public int tokensPerImage() {
    return gridSide * gridSide;
  }

  /** Without the (up to a thousand) class names, for logs. */
  @Override
  public String toString() {
    return "ModelInfo[name=" + name + ", family=" + family.configName() + ", grid=" + gridSide
        + "x" + gridSide + ", image=" + imageSize + "x" + imageSize + "x" + channels + ", classes="
        + numClasses + (classNames.isEmpty() ? "" : " (named)") + ", vocab=" + vocabSize
        + ", strategies=" + strategies + ", lanternMaxK=" + lanternMaxK + "]";
  }
}
