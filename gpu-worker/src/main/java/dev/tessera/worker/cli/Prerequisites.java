package dev.tessera.worker.cli;

import dev.tessera.data.FashionMnist;
import dev.tessera.data.Split;
import dev.tessera.eval.Classifier;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a command runs before its work starts; each failure is one line naming what to do. */
public final class Prerequisites {

  private Prerequisites() {}

  /** The Fashion-MNIST files of the splits, in {@code dir}. */
  public static void dataset(Path dir, Split... splits) {
    for (Split split : splits) {
      for (String name : new String[] {split.imagesFile(), split.labelsFile()}) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
          throw new MissingPrerequisiteException("Fashion-MNIST is not installed (no " + file
              + "); " + FashionMnist.INSTALL_HINT);
        }
      }
    }
  }

  /** A model directory {@code models/name} with its config; {@code how} says how to make one. */
  public static Path model(Path models, String name, String how) {
    Path dir = models.resolve(name);
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      throw new MissingPrerequisiteException("model " + name + " not found (no " + dir
          .resolve("config.json") + "); " + how);
    }
    return dir;
  }

  /** The fm-classifier weights every score needs. */
  public static void classifier(Path dir) {
    Path weights = dir.resolve(Classifier.WEIGHTS_FILE);
    if (!Files.isRegularFile(weights)) {
      throw new MissingPrerequisiteException("no classifier weights at " + weights
          + "; train them with: ./tessera train fm-classifier");
    }
  }
}
