package dev.tessera.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.data.FashionMnist;
import dev.tessera.data.LabelledImages;
import dev.tessera.data.Split;
import dev.tessera.eval.Classifier;
import dev.tessera.eval.ClassifierNet;
import dev.tessera.eval.ClassifierTraining;
import dev.tessera.eval.ClassifierTrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./tessera train-classifier} (routed from {@code ./tessera train fm-classifier}): trains the
 * evaluation CNN on the full Fashion-MNIST training split on CPU and writes
 * {@code models/fm-classifier/{model.safetensors,config.json}}.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train the fm-classifier CNN that eval scores with.",
        "Trains the fm-classifier CNN (used by eval: class accuracy, Fréchet distance)"
        + " on the Fashion-MNIST training split and writes models/fm-classifier/.",
        "Also reachable as ./tessera train fm-classifier."})
public final class TrainClassifierCommand implements Callable<Integer> {

  private static final ClassifierTrainingConfig D = ClassifierTrainingConfig.defaults();

  @Spec
  CommandSpec spec;

  @Option(names = "--epochs", description = "passes over the training split (1..1000)")
  int epochs = D.epochs();

  @Option(names = "--batch", description = "images per step (1..4096)")
  int batch = D.batchSize();

  @Option(names = "--lr", description = "learning rate, below 1")
  float lr = D.learningRate();

  @Option(names = "--seed", description = "seed of the weights and the data order")
  long seed = D.seed();

  @Option(names = "--threads", paramLabel = "N",
      description = "PyTorch intra-op threads (default: the cores)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "DIR", description = "where the model goes")
  Path out = Classifier.DEFAULT_DIR;

  @Option(names = "--data", paramLabel = "DIR", description = "the Fashion-MNIST files")
  Path data = FashionMnist.DEFAULT_DIR;

  @Option(names = "--limit", paramLabel = "N", description = "train on the first N images only")
  int limit = Integer.MAX_VALUE;

  @Override
  public Integer call() throws Exception {
    ClassifierTrainingConfig cfg;
    try {
      cfg = new ClassifierTrainingConfig(Ranges.check(spec, "--epochs", epochs, 1, 1000),
          Ranges.check(spec, "--batch", batch, 1, 4096), lr, seed);
    } catch (IllegalArgumentException e) {
      throw Ranges.usage(spec, e.getMessage());
    }
    if (!(cfg.learningRate() < 1)) {
      throw Ranges.usage(spec, "--lr must be below 1, got " + cfg.learningRate());
    }
    Ranges.check(spec, "--limit", limit, 1, Integer.MAX_VALUE);
    Threads.set(Ranges.check(spec, "--threads", threads, 1, 256));
    Prerequisites.dataset(data, Split.TRAIN, Split.TEST);
    LabelledImages train = FashionMnist.load(data, Split.TRAIN).head(limit);
    LabelledImages test = FashionMnist.load(data, Split.TEST);
    Files.createDirectories(out);
    ClassifierTraining.Result r = ClassifierTraining.train(train, test, cfg, out, System.out::println);
    writeConfig(out, cfg, r, train.size());
    System.out.printf("done: test accuracy %.4f, final loss %.4f, %d steps, wall %.1f s; wrote %s%n",
        r.testAccuracy(), r.finalLoss(), r.steps(), r.wallSeconds(), out);
    return 0;
  }

  private static void writeConfig(Path out, ClassifierTrainingConfig cfg, ClassifierTraining.Result r, int trainImages)
      throws java.io.IOException {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", "fm-classifier");
    c.put("architecture", "3x [conv3x3 pad1 -> batchnorm -> relu -> maxpool2] (32, 64, 64 channels), "
        + "flatten, linear 1024->128, relu (features), dropout 0.3, linear 128->10");
    c.put("input_shape", new int[] {1, 32, 32});
    c.put("pixel_range", new float[] {0f, 1f});
    c.put("feature_dim", ClassifierNet.FEATURE_DIM);
    c.put("classes", FashionMnist.CLASS_NAMES);
    c.put("parameters", r.parameters());
    c.put("weights_dtype", "F32");
    c.put("training", cfg);
    c.put("train_images", trainImages);
    c.put("steps", r.steps());
    c.put("final_loss", r.finalLoss());
    c.put("wall_seconds", Math.round(r.wallSeconds()));
    c.put("test_accuracy", r.testAccuracy());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("config.json").toFile(), c);
  }
}
