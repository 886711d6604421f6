package dev.tessera.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.tessera.model.AttentionMasks;
import dev.tessera.model.GptConfig;
import dev.tessera.model.RandomWeights;
import dev.tessera.model.SequenceLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a LlamaGen GPT (raster or PAR order) with teacher forcing on DJL's training API: the model
 * core's forward inside a {@link GradientCollector}, AdamW with warm-up and cosine decay, class-label
 * dropout to the null class, global-norm clipping, progress with loss, tokens/s and ETA, periodic
 * checkpoints, and exact resume.
 */
public final class GptTrainer implements AutoCloseable {

  private final GptConfig config;
  private final TrainConfig train;
  private final SequenceLayout layout;
  private final Model model;
  private final GptBlock block;
  private final AdamWState optimizer;
  private final Trainer trainer;
  private final PrintStream log;
  private int step;

  public GptTrainer(GptConfig config, TrainConfig train, PrintStream log) {
    this.config = config;
    this.train = train;
    this.layout = new SequenceLayout(config);
    this.log = log;
    this.block = new GptBlock(config);
    this.model = Model.newInstance("gpt");
    model.setBlock(block);
    this.optimizer = new AdamWState((id, t) -> train.learningRate(t), (float) train.weightDecay());
    DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(optimizer)
        .optDevices(new Device[] {Device.cpu()});
    this.trainer = model.newTrainer(tc);
    int t = config.sequenceLength();
    trainer.initialize(new Shape(train.batch(), t), new Shape(train.batch(), t), new Shape(1, 1, t, t));
    try (NDManager init = trainer.getManager().newSubManager()) {
      Map<String, NDArray> values = RandomWeights.create(init, config, train.seed());
      block.setValues(values);
    }
  }

  public GptBlock block() {
    return block;
  }

  /** Steps done so far. */
  public int step() {
    return step;
  }

  /**
   * Trains until {@code train.steps()} (or {@code stopAt}, if smaller), checkpointing into {@code
   * checkpointDir} every {@code checkpointEvery} steps and at the end.
   *
   * @return mean loss of the last 50 steps
   */
  public double run(TokenImages data, Path checkpointDir, int stopAt) throws IOException {
    int end = Math.min(stopAt, train.steps());
    long started = System.nanoTime();
    int startStep = step;
    double ema = Double.NaN;
    double recent = 0;
    int recentCount = 0;
    while (step < end) {
      double loss = trainStep(data);
      ema = Double.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
      if (end - step <= 50) {
        recent += loss;
        recentCount++;
      }
      if (step % 10 == 0 || step == end) {
        double secs = (System.nanoTime() - started) / 1e9;
        double perStep = secs / (step - startStep);
        double tokensPerSec = (step - startStep) * (double) train.batch() * config.sequenceLength() / secs;
        log.printf("step %d/%d  loss %.4f (ema %.4f)  lr %.2e  %.0f tok/s  %.2f s/step  ETA %s%n",
            step, train.steps(), loss, ema, train.learningRate(step - 1), tokensPerSec, perStep,
            eta(perStep * (end - step)));
      }
      if (step % train.checkpointEvery() == 0 || step == end) {
        Checkpoints.save(checkpointDir, this);
        log.printf("checkpoint at step %d -> %s%n", step, checkpointDir);
      }
    }
    return recentCount == 0 ? Double.NaN : recent / recentCount;
  }

  /** One optimizer step on the batch this step index selects; returns its loss. */
  double trainStep(TokenImages data) {
    int b = train.batch();
    int t = config.sequenceLength();
    long[] ids = new long[b * t];
    long[] rope = new long[b * t];
    float[] targets = new float[b * t];
    SplittableRandom dropout = new SplittableRandom(train.seed() * 1_000_003L + step);
    for (int i = 0; i < b; i++) {
      int image = DataOrder.index(data.size(), train.seed(), (long) step * b + i);
      int[] seq = layout.toSequenceOrder(data.tokens(image));
      int label = dropout.nextDouble() < train.classDropout() ? config.nullClass() : data.label(image);
      long[][] in = layout.teacherForcedInputs(seq, label);
      System.arraycopy(in[0], 0, ids, i * t, t);
      System.arraycopy(in[1], 0, rope, i * t, t);
      for (int p = 0; p < t; p++) {
        targets[i * t + p] = seq[p];
      }
    }
    float lossValue;
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray mask = AttentionMasks.forSequence(scope, layout.maskLimits());
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(scope.create(ids, new Shape(b, t)),
            scope.create(rope, new Shape(b, t)), mask));
        NDArray target = scope.create(targets, new Shape(b, t));
        NDArray loss = crossEntropy(out.get(0), target);
        gc.backward(loss);
        lossValue = loss.getFloat();
      }
      clipAndStep(scope);
    }
    step++;
    return lossValue;
  }

  /** Mean token cross-entropy of logits [B, T, V] against targets [B, T]. */
  static NDArray crossEntropy(NDArray logits, NDArray targets) {
    int v = (int) logits.getShape().get(2);
    return logits.logSoftmax(-1).mul(targets.oneHot(v)).sum(new int[] {-1}).mean().neg();
  }

  private void clipAndStep(NDManager scope) {
    double sq = 0;
    for (Parameter p : block.parametersByName().values()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      sq += g.square().sum().getFloat();
    }
    double norm = Math.sqrt(sq);
    optimizer.setGradScale(norm > train.clipNorm() ? (float) (train.clipNorm() / norm) : 1f);
    trainer.step();
    for (Parameter p : block.parametersByName().values()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      g.muli(0);
    }
  }

  /** Mean cross-entropy on images [from, from+count) of {@code data}, labels kept (no dropout). */
  public double evaluate(TokenImages data, int from, int count) {
    int t = config.sequenceLength();
    double total = 0;
    int batches = 0;
    for (int start = from; start < from + count; start += train.batch()) {
      int b = Math.min(train.batch(), from + count - start);
      long[] ids = new long[b * t];
      long[] rope = new long[b * t];
      float[] targets = new float[b * t];
      for (int i = 0; i < b; i++) {
        int[] seq = layout.toSequenceOrder(data.tokens(start + i));
        long[][] in = layout.teacherForcedInputs(seq, data.label(start + i));
        System.arraycopy(in[0], 0, ids, i * t, t);
        System.arraycopy(in[1], 0, rope, i * t, t);
        for (int p = 0; p < t; p++) {
          targets[i * t + p] = seq[p];
        }
      }
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDList out = block.forward(new ai.djl.training.ParameterStore(scope, false),
            new NDList(scope.create(ids, new Shape(b, t)), scope.create(rope, new Shape(b, t)),
                AttentionMasks.forSequence(scope, layout.maskLimits())), false);
        total += crossEntropy(out.get(0), scope.create(targets, new Shape(b, t))).getFloat();
        batches++;
      }
    }
    return total / batches;
  }

  AdamWState optimizer() {
    return optimizer;
  }

  GptConfig config() {
    return config;
  }

  TrainConfig trainConfig() {
    return train;
  }

  void restoreStep(int step) {
    this.step = step;
  }

  static String eta(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  @Override
  public void close() {
    trainer.close();
    model.close();
  }
}
