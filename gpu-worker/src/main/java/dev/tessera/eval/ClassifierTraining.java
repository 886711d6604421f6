package dev.tessera.eval;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.tessera.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains {@link ClassifierNet} with DJL's training API (Trainer, GradientCollector, Adam with cosine
 * decay, softmax cross-entropy) on 32×32 images with random horizontal flips, logs progress (loss,
 * running accuracy, images/s, ETA) and test accuracy after every epoch, and saves the weights.
 */
public final class ClassifierTraining {

  /** What a run achieved. */
  public record Result(double testAccuracy, double finalLoss, double wallSeconds, int steps, long parameters) {}

  private ClassifierTraining() {}

  /**
   * Trains, evaluates on {@code test} after each epoch and writes {@code out/model.safetensors}.
   *
   * @param log progress lines
   */
  public static Result train(LabelledImages train, LabelledImages test, ClassifierTrainingConfig cfg, Path out,
      Consumer<String> log) throws IOException {
    Engine.getInstance().setRandomSeed((int) cfg.seed());
    int stepsPerEpoch = train.size() / cfg.batchSize();
    int totalSteps = stepsPerEpoch * cfg.epochs();
    Tracker lr = Tracker.cosine().setBaseValue(cfg.learningRate()).optFinalValue(cfg.learningRate() / 100)
        .setMaxUpdates(Math.max(1, totalSteps)).build();
    SequentialBlock net = ClassifierNet.build();
    DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build());
    SplittableRandom rnd = new SplittableRandom(cfg.seed());
    long t0 = System.nanoTime();
    double lossEma = Double.NaN;
    try (Model model = Model.newInstance("fm-classifier");
        NDManager evalManager = NDManager.newBaseManager()) {
      model.setBlock(net);
      try (Trainer trainer = model.newTrainer(tc)) {
        trainer.initialize(ClassifierNet.inputShape(cfg.batchSize()));
        long params = net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        log.accept(String.format("fm-classifier: %d parameters, %d epochs x %d steps of %d images",
            params, cfg.epochs(), stepsPerEpoch, cfg.batchSize()));
        int step = 0;
        double testAcc = 0;
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
          int[] order = shuffled(train.size(), rnd);
          int correct = 0;
          int seen = 0;
          for (int s = 0; s < stepsPerEpoch; s++, step++) {
            float[][] xs = new float[cfg.batchSize()][];
            float[] ys = new float[cfg.batchSize()];
            for (int i = 0; i < xs.length; i++) {
              int idx = order[s * cfg.batchSize() + i];
              xs[i] = rnd.nextBoolean() ? flip(train.images()[idx]) : train.images()[idx];
              ys[i] = train.labels()[idx];
            }
            try (NDManager batch = trainer.getManager().newSubManager()) {
              NDArray x = batch.create(Batches.flatten(xs, 0, xs.length), ClassifierNet.inputShape(xs.length));
              NDArray y = batch.create(ys); // [b]
              float lossValue;
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow(); // [b,10]
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                gc.backward(loss);
                lossValue = loss.getFloat();
                long[] pred = logits.argMax(1).toLongArray();
                for (int i = 0; i < pred.length; i++) {
                  correct += pred[i] == (long) ys[i] ? 1 : 0;
                }
                seen += pred.length;
              }
              trainer.step();
              lossEma = Double.isNaN(lossEma) ? lossValue : 0.98 * lossEma + 0.02 * lossValue;
            }
            if ((step + 1) % 100 == 0 || s == stepsPerEpoch - 1) {
              double el = (System.nanoTime() - t0) / 1e9;
              log.accept(String.format("epoch %d/%d step %d/%d  loss %.4f  train acc %.4f  %.0f img/s  elapsed %s  ETA %s",
                  epoch, cfg.epochs(), s + 1, stepsPerEpoch, lossEma, (double) correct / seen,
                  (step + 1) * cfg.batchSize() / el, hms(el), hms(el / (step + 1) * (totalSteps - step - 1))));
            }
          }
          try (Classifier eval = new Classifier(evalManager.newSubManager(), net)) {
            testAcc = eval.accuracy(test.images(), test.labels());
          }
          log.accept(String.format("epoch %d/%d done: test accuracy %.4f (%d images), elapsed %s",
              epoch, cfg.epochs(), testAcc, test.size(), hms((System.nanoTime() - t0) / 1e9)));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        ClassifierWeights.save(net, out.resolve(Classifier.WEIGHTS_FILE),
            Map.of("format", "tessera-fm-classifier", "test_accuracy", String.format("%.4f", testAcc)));
        return new Result(testAcc, lossEma, wall, step, params);
      }
    }
  }

  /** Mirror image left-right: {@code [1024]} → {@code [1024]}. */
  static float[] flip(float[] img) {
    float[] out = new float[img.length];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        out[y * 32 + x] = img[y * 32 + 31 - x];
      }
    }
    return out;
  }

  private static int[] shuffled(int n, SplittableRandom rnd) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  static String hms(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
