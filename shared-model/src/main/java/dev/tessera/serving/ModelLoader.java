package dev.tessera.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.GptWeights;
import dev.tessera.model.RandomWeights;
import dev.tessera.model.WeightsIO;
import dev.tessera.tokenizer.VqConfig;
import dev.tessera.tokenizer.VqTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/** Loads served models from their directories ({@code config.json} + {@code model.safetensors}). */
public final class ModelLoader {

  /** The shipped target's architecture: dim 128, 8 layers, 4 heads, 512 codes, 10 classes, 16×16. */
  public static final GptConfig FM_CONFIG = GptConfig.of(128, 8, 4, 512, 10, 16);

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelLoader() {}

  /** Reads a model directory's config. */
  public static ModelSpec readSpec(Path modelDir) throws IOException {
    Path config = modelDir.resolve("config.json");
    if (!Files.exists(config)) {
      throw new IOException("no config.json in model directory " + modelDir);
    }
    return JSON.readValue(config.toFile(), ModelSpec.class);
  }

  /** Loads weights and tokenizer of a model directory. */
  public static ServedModel load(Path modelDir) throws IOException {
    ModelSpec spec = readSpec(modelDir);
    NDManager manager = NDManager.newBaseManager();
    try {
      Map<String, NDArray> named = WeightsIO.load(manager, modelDir.resolve("model.safetensors"),
          GptWeights.expectedShapes(spec.gpt()));
      Gpt gpt = new Gpt(GptWeights.of(spec.gpt(), named::get), manager, true);
      VqTokenizer tokenizer = VqTokenizer.load(modelDir.resolve(spec.tokenizer()).normalize());
      if (tokenizer.vocabSize() != spec.gpt().vocabSize()) {
        throw new IOException(modelDir + ": tokenizer has " + tokenizer.vocabSize()
            + " codes but the model's vocab_size is " + spec.gpt().vocabSize());
      }
      return new GptServedModel(spec.name(), manager, gpt, tokenizer);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * A model of the real architecture with seeded random weights and a random codebook, for use
   * before trained weights ship (and for tests). Its images are noise, its logits are real. Only
   * 16×16 grids render PNGs (the tokenizer's 32×32 images).
   */
  public static ServedModel random(String name, long seed) {
    return random(name, FM_CONFIG, seed);
  }

  /** As {@link #random(String, long)} with explicit sizes (tiny models for tests). */
  public static ServedModel random(String name, GptConfig config, long seed) {
    NDManager manager = NDManager.newBaseManager();
    Map<String, NDArray> named = RandomWeights.create(manager, config, seed);
    Gpt gpt = new Gpt(GptWeights.of(config, named::get), manager, true);
    SplittableRandom r = new SplittableRandom(seed);
    float[][] codebook = new float[config.vocabSize()][4];
    for (float[] row : codebook) {
      for (int k = 0; k < 4; k++) {
        row[k] = (float) r.nextDouble();
      }
    }
    VqTokenizer tokenizer = config.gridSide() == 16
        ? VqTokenizer.of(VqConfig.of(config.vocabSize(), seed), codebook) : null;
    return new GptServedModel(name, manager, gpt, tokenizer);
  }
}
