package dev.tessera.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.GptWeights;
import dev.tessera.model.RandomWeights;
import dev.tessera.model.WeightsIO;
import dev.tessera.tokenizer.CodebookNeighbours;
import dev.tessera.tokenizer.ImageDecoder;
import dev.tessera.tokenizer.VqConfig;
import dev.tessera.tokenizer.VqTokenizer;
import dev.tessera.tokenizer.llamagen.RandomVqWeights;
import dev.tessera.tokenizer.llamagen.VqDecoder;
import dev.tessera.tokenizer.llamagen.VqModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Loads served models from their directories: {@code config.json}, {@code model.safetensors} (or its
 * sharded index) and, by family, Tessera's tokenizer directory or LlamaGen's VQ weights.
 */
public final class ModelLoader {

  /** The shipped target's architecture: dim 128, 8 layers, 4 heads, 512 codes, 10 classes, 16×16. */
  public static final GptConfig FM_CONFIG = GptConfig.of(128, 8, 4, 512, 10, 16);

  /** Width of the LANTERN neighbour table: the largest lantern_k a request may ask for. */
  public static final int LANTERN_MAX_K = 64;

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

  /** Loads weights and tokenizer (or VQ decoder, by family) of a model directory. */
  public static ServedModel load(Path modelDir) throws IOException {
    ModelSpec spec = readSpec(modelDir);
    if (spec.isDrafter()) {
      throw new IOException(spec.name() + " is a drafter; it is served through its target "
          + spec.target());
    }
    NDManager manager = NDManager.newBaseManager();
    ImageDecoder images = null;
    try {
      Map<String, NDArray> named = WeightsIO.load(manager, modelDir.resolve("model.safetensors"),
          GptWeights.expectedShapes(spec.gpt()));
      Gpt gpt = new Gpt(GptWeights.of(spec.gpt(), named::get), manager, true);
      images = images(modelDir, spec);
      Drafter drafter = null;
      int[][] neighbours = new int[0][];
      if (spec.drafter() != null) {
        Path drafterDir = modelDir.resolve(spec.drafter()).normalize();
        Map<String, NDArray> dw = WeightsIO.load(manager, drafterDir.resolve("model.safetensors"),
            Drafter.expectedShapes(spec.gpt()));
        drafter = Drafter.of(gpt, dw::get);
        int kmax = Math.min(LANTERN_MAX_K, spec.gpt().vocabSize() - 1);
        neighbours = images instanceof VqTokenizer t ? t.nearestNeighbours(kmax)
            : CodebookNeighbours.nearest(((VqDecoder) images).codebookRows(),
                spec.vq().codebookEmbedDim(), kmax);
      }
      return new GptServedModel(spec.name(), manager, gpt, images, drafter, neighbours,
          spec.family(), spec.classNames());
    } catch (IOException | RuntimeException e) {
      if (images instanceof VqDecoder d) {
        d.close();
      }
      manager.close();
      throw e;
    }
  }

  /** The family's way from tokens to pixels, checked against the transformer's vocabulary. */
  private static ImageDecoder images(Path modelDir, ModelSpec spec) throws IOException {
    switch (spec.family()) {
      case TESSERA -> {
        if (spec.tokenizer() == null) {
          throw new IOException(modelDir.resolve("config.json") + " names no \"tokenizer\"; "
              + "family tessera needs one (a LlamaGen model says \"family\": \"llamagen-c2i\" "
              + "and has a \"vq\" section)");
        }
        VqTokenizer tokenizer = VqTokenizer.load(modelDir.resolve(spec.tokenizer()).normalize());
        if (tokenizer.vocabSize() != spec.gpt().vocabSize()) {
          throw new IOException(modelDir + ": tokenizer has " + tokenizer.vocabSize()
              + " codes but the model's vocab_size is " + spec.gpt().vocabSize());
        }
        return tokenizer;
      }
      case LLAMAGEN_C2I -> {
        return VqDecoder.load(spec.vq(), modelDir.resolve(spec.vqWeightsOrDefault()));
      }
      default -> throw new IllegalStateException("family " + spec.family());
    }
  }

  /**
   * A LlamaGen-family model of the real architecture with seeded random weights for the transformer
   * and the VQ decoder: its tokens are real samples, its images are noise.
   */
  public static ServedModel randomLlamaGen(String name, GptConfig config, VqModelConfig vq,
      long seed) {
    NDManager manager = NDManager.newBaseManager();
    Map<String, NDArray> named = RandomWeights.create(manager, config, seed);
    Gpt gpt = new Gpt(GptWeights.of(config, named::get), manager, true);
    NDManager vqManager = NDManager.newBaseManager();
    VqDecoder decoder = VqDecoder.of(vq, vqManager, RandomVqWeights.create(vqManager, vq, seed + 1));
    return new GptServedModel(name, manager, gpt, decoder, null, new int[0][],
        ModelFamily.LLAMAGEN_C2I, ClassNames.forClassCount(config.numClasses()));
  }

  /**
   * A model of the real architecture with seeded random weights and a random codebook, for use
   * before trained weights ship (and for tests). Its images are noise, its logits are real. Only
   * 16×16 grids render PNGs (the tokenizer's 32×32 images).
   */
  public static ServedModel random(String name, long seed) {
    return random(name, FM_CONFIG, seed);
  }

  /**
   * A random target with a random drafter and a random codebook's neighbour table: every strategy of
   * a raster model, for tests of the speculative paths.
   */
  public static ServedModel randomWithDrafter(String name, GptConfig config, long seed) {
    NDManager manager = NDManager.newBaseManager();
    Map<String, NDArray> named = RandomWeights.create(manager, config, seed);
    Gpt gpt = new Gpt(GptWeights.of(config, named::get), manager, true);
    Map<String, NDArray> dw = RandomWeights.create(manager, Drafter.expectedShapes(config), seed + 1);
    SplittableRandom r = new SplittableRandom(seed);
    int[][] neighbours = new int[config.vocabSize()][Math.min(LANTERN_MAX_K, config.vocabSize() - 1)];
    for (int x = 0; x < neighbours.length; x++) {
      for (int j = 0; j < neighbours[x].length; j++) {
        neighbours[x][j] = (x + 1 + j) % config.vocabSize(); // a fixed ring: any valid table works
      }
    }
    return new GptServedModel(name, manager, gpt, null, Drafter.of(gpt, dw::get), neighbours,
        ModelFamily.TESSERA, null);
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
    return new GptServedModel(name, manager, gpt, tokenizer, null, new int[0][],
        ModelFamily.TESSERA, null);
  }
}
