package dev.tessera.worker.cli;

import dev.tessera.contract.SamplingParams;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The flags every decoding command shares: which model, and how to sample. */
final class ModelFlags {

  static final Set<String> VALUED = Set.of("model", "models", "cfg-scale", "temperature", "top-k",
      "top-p");

  private ModelFlags() {}

  /** Loads {@code --model} from {@code --models} (default {@code models/}). */
  static ServedModel load(CommandFlags f, String fallback) throws IOException {
    String name = f.string("model", fallback);
    Path dir = f.path("models", Path.of("models")).resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new UsageException("--model " + name + ": no model directory " + dir
          + " (shipped models: fm-ar, fm-par4, fm-par16; train one with ./tessera train " + name + ")");
    }
    return ModelLoader.load(dir);
  }

  /** Sampling settings from flags, defaulting to Tessera's documented defaults. */
  static SamplingParams sampling(CommandFlags f) {
    SamplingParams d = SamplingParams.DEFAULT;
    try {
      return new SamplingParams(f.decimal("cfg-scale", d.cfgScale()),
          f.decimal("temperature", d.temperature()), f.integer("top-k", d.topK(), 0, 1 << 20),
          f.decimal("top-p", d.topP()));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage().replace("cfg_scale", "--cfg-scale")
          .replace("top_k", "--top-k").replace("top_p", "--top-p"));
    }
  }
}
