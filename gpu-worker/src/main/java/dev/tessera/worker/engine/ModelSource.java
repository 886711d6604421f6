package dev.tessera.worker.engine;

import dev.tessera.serving.ServedModel;
import java.io.IOException;

/** Where the worker's models come from. */
@FunctionalInterface
public interface ModelSource {

  /** Loads the model with this name. */
  ServedModel load(String name) throws IOException;
}
