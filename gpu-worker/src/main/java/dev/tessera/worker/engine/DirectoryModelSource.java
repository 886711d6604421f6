package dev.tessera.worker.engine;

import dev.tessera.model.GptConfig;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import dev.tessera.tokenizer.llamagen.VqModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code <modelsDir>/<name>/} with {@link ModelLoader#load}. When that directory does not
 * exist it serves a model of the same architecture with seeded random weights instead, and says so
 * loudly: its logits are real, its images are noise. A name ending in {@code -parN} gets a PAR
 * stand-in with n = N; a name starting with {@code llamagen} gets a LlamaGen-family stand-in (the
 * same transformer sizes, 1000 ImageNet classes, a narrow VQ-16-shaped decoder: RGB at 16 pixels per
 * token).
 */
public final class DirectoryModelSource implements ModelSource {

  private static final Logger log = LoggerFactory.getLogger(DirectoryModelSource.class);

  private final Path modelsDir;
  private final GptConfig randomConfig;
  private final long randomSeed;

  public DirectoryModelSource(Path modelsDir, GptConfig randomConfig, long randomSeed) {
    this.modelsDir = modelsDir;
    this.randomConfig = randomConfig;
    this.randomSeed = randomSeed;
  }

  @Override
  public ServedModel load(String name) throws IOException {
    Path dir = modelsDir.resolve(name);
    if (Files.isDirectory(dir)) {
      log.info("loading model {} from {}", name, dir.toAbsolutePath());
      return ModelLoader.load(dir);
    }
    log.warn("""

        ************************************************************************
        * NO MODEL DIRECTORY {}
        * Serving '{}' with RANDOM WEIGHTS (seed {}, dim {}, {} layers):
        * real transformer, real sampling, but the images are noise.
        ************************************************************************""",
        dir.toAbsolutePath(), name, randomSeed, randomConfig.dim(), randomConfig.nLayer());
    if (name.startsWith("llamagen")) {
      GptConfig c = GptConfig.of(randomConfig.dim(), randomConfig.nLayer(), randomConfig.nHead(),
          randomConfig.vocabSize(), 1000, randomConfig.gridSide());
      return ModelLoader.randomLlamaGen(name, c, narrowVq16(c.vocabSize()), randomSeed);
    }
    return ModelLoader.random(name, randomConfig.withParallelTokens(parallelTokens(name)),
        randomSeed);
  }

  /** VQ-16's tree (five resolutions, 16× up-sampling) at a quarter of its width, one res block. */
  static VqModelConfig narrowVq16(int codes) {
    return new VqModelConfig(codes, 8, true, 32, 32, java.util.List.of(1, 1, 2, 2, 4), 1, 3);
  }

  /** A stand-in for {@code fm-par4} must decode like one: PAR's n from a {@code -parN} suffix. */
  static int parallelTokens(String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-par(\\d+)$").matcher(name);
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }
}
