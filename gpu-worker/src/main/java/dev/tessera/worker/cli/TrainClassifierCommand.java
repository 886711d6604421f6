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
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tessera train-classifier} (routed from {@code ./tessera train fm-classifier}): trains the
 * evaluation CNN on the full Fashion-MNIST training split on CPU and writes
 * {@code models/fm-classifier/{model.safetensors,config.json}}.
 */
public final class TrainClassifierCommand implements Command {

  private static final String USAGE = "usage: ./tessera train fm-classifier [--epochs 6] [--batch 64] [--lr 0.002]"
      + " [--seed 1] [--threads N] [--out models/fm-classifier] [--data DIR] [--limit N]";

  @Override
  public String name() {
    return "train-classifier";
  }

  @Override
  public String summary() {
    return "train the fm-classifier CNN used by eval (class accuracy, Frechet distance)";
  }

  @Override
  public int run(String[] args) throws Exception {
    ClassifierTrainingConfig cfg;
    CommandFlags f;
    try {
      f = CommandFlags.parse(args, Set.of("epochs", "batch", "lr", "seed", "threads", "out", "data", "limit"), Set.of());
      if (!f.positional().isEmpty()) {
        throw new UsageException("unexpected argument '" + f.positional().get(0) + "'");
      }
      ClassifierTrainingConfig d = ClassifierTrainingConfig.defaults();
      cfg = new ClassifierTrainingConfig(f.integer("epochs", d.epochs(), 1, 1000), f.integer("batch", d.batchSize(), 1, 4096),
          (float) f.decimal("lr", d.learningRate()), f.longValue("seed", d.seed()));
      if (!(cfg.learningRate() < 1)) {
        throw new UsageException("flag --lr must be below 1, got " + cfg.learningRate());
      }
      Threads.set(f.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 256));
    } catch (UsageException | IllegalArgumentException e) {
      System.err.println("train-classifier: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    Path out = f.path("out", Classifier.DEFAULT_DIR);
    Path data = f.path("data", FashionMnist.DEFAULT_DIR);
    LabelledImages train;
    LabelledImages test;
    try {
      train = FashionMnist.load(data, Split.TRAIN).head(f.integer("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE));
      test = FashionMnist.load(data, Split.TEST);
    } catch (FileNotFoundException e) {
      System.err.println("train-classifier: " + e.getMessage());
      return 1;
    }
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
