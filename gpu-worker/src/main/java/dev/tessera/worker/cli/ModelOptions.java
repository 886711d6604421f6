package dev.tessera.worker.cli;

import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which model a decoding command loads: {@code --model NAME} from {@code --models DIR}. */
public final class ModelOptions {

  @Option(names = "--model", paramLabel = "NAME", description = "the model to decode with")
  String model = "fm-ar";

  @Option(names = "--models", paramLabel = "DIR", description = "directory of the models")
  Path models = Path.of("models");

  /** The model's directory; a missing one is a prerequisite error saying what ships. */
  Path directory() {
    return Prerequisites.model(models, model, "shipped models: fm-ar, fm-par4, fm-par16; train one"
        + " with ./tessera train " + model);
  }

  /** Loads the model (check {@link #directory} first to fail before other work). */
  ServedModel load() throws IOException {
    return ModelLoader.load(directory());
  }
}
