package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.tessera.model.AttentionMasks;
import dev.tessera.model.GptConfig;
import dev.tessera.model.GptWeights;
import dev.tessera.model.RandomWeights;
import dev.tessera.model.SequenceLayout;
import dev.tessera.model.WeightsIO;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains a LlamaGen GPT (raster or PAR order) with teacher forcing: the model core's forward inside
 * a gradient collector, class-label dropout to the null class, token cross-entropy.
 */
public final class GptTrainer extends TrainingRun {

  private final GptConfig config;
  private final SequenceLayout layout;
  private final GptBlock block;

  public GptTrainer(GptConfig config, TrainConfig train, PrintStream log) {
    this(config, train, log, new GptBlock(config), null);
  }

  /**
   * A run that starts from a trained raster model's weights (PAR's recipe: fine-tune the AR model in
   * the new order). Every tensor of {@code initWeights} is copied; tensors the raster model lacks
   * (PAR's transition embeddings) start random.
   */
  public static GptTrainer warmStarted(GptConfig config, TrainConfig train, PrintStream log,
      Path initWeights) {
    return new GptTrainer(config, train, log, new GptBlock(config), initWeights);
  }

  private GptTrainer(GptConfig config, TrainConfig train, PrintStream log, GptBlock block,
      Path initWeights) {
    super("gpt", block, train, log);
    this.config = config;
    this.layout = new SequenceLayout(config);
    this.block = block;
    int t = config.sequenceLength();
    trainer.initialize(new Shape(train.batch(), t), new Shape(train.batch(), t), new Shape(1, 1, t, t));
    try (NDManager init = trainer.getManager().newSubManager()) {
      Map<String, NDArray> values = RandomWeights.create(init, config, train.seed());
      if (initWeights != null) {
        Map<String, NDArray> trained = WeightsIO.load(init, initWeights,
            GptWeights.expectedShapes(config.withParallelTokens(1)));
        values.putAll(trained);
        log.printf("warm start from %s: %d tensors copied, %d random (%s)%n", initWeights,
            trained.size(), values.size() - trained.size(), missing(values.keySet(),
                trained.keySet()));
      }
      block.setValues(values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String missing(Set<String> all, Set<String> copied) {
    return all.stream().filter(n -> !copied.contains(n)).sorted()
        .collect(java.util.stream.Collectors.joining(", "));
  }

  @Override
  public GptBlock block() {
    return block;
  }

  @Override
  int tokensPerImage() {
    return config.sequenceLength();
  }

  @Override
  Checkpoints.State state() {
    return new Checkpoints.State(step, "gpt", config, train);
  }

  @Override
  double trainStep(TokenImages data) {
    int b = train.batch();
    SplittableRandom dropout = new SplittableRandom(train.seed() * 1_000_003L + step);
    Batch batch = batch(data, b, i -> DataOrder.index(data.size(), train.seed(), (long) step * b + i),
        label -> dropout.nextDouble() < train.classDropout() ? config.nullClass() : label);
    float lossValue;
    try (NDManager scope = trainer.getManager().newSubManager()) {
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDList out = trainer.forward(batch.inputs(scope, layout));
        NDArray loss = crossEntropy(out.get(0), batch.targets(scope));
        gc.backward(loss);
        lossValue = loss.getFloat();
      }
      clipAndStep(scope);
    }
    return lossValue;
  }

  /** Mean token cross-entropy of logits [B, T, V] against targets [B, T]. */
  static NDArray crossEntropy(NDArray logits, NDArray targets) {
    int v = (int) logits.getShape().get(2);
    return logits.logSoftmax(-1).mul(targets.oneHot(v)).sum(new int[] {-1}).mean().neg();
  }

  /** Mean cross-entropy on images [from, from+count) of {@code data}, labels kept. */
  public double evaluate(TokenImages data, int from, int count) {
    double total = 0;
    int batches = 0;
    for (int start = from; start < from + count; start += train.batch()) {
      int b = Math.min(train.batch(), from + count - start);
      final int first = start;
      Batch batch = batch(data, b, i -> first + i, label -> label);
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDList out = block.forward(new ParameterStore(scope, false), batch.inputs(scope, layout),
            false);
        total += crossEntropy(out.get(0), batch.targets(scope)).getFloat();
        batches++;
      }
    }
    return total / batches;
  }

  private Batch batch(TokenImages data, int b, java.util.function.IntUnaryOperator image,
      java.util.function.IntUnaryOperator label) {
    int t = config.sequenceLength();
    Batch batch = new Batch(b, t);
    for (int i = 0; i < b; i++) {
      int idx = image.applyAsInt(i);
      int[] seq = layout.toSequenceOrder(data.tokens(idx));
      long[][] in = layout.teacherForcedInputs(seq, label.applyAsInt(data.label(idx)));
      System.arraycopy(in[0], 0, batch.ids, i * t, t);
      System.arraycopy(in[1], 0, batch.rope, i * t, t);
      for (int p = 0; p < t; p++) {
        batch.targets[i * t + p] = seq[p];
      }
    }
    return batch;
  }

  /** Teacher-forced inputs and targets of b images. */
  static final class Batch {
    final int b;
    final int t;
    final long[] ids;
    final long[] rope;
    final float[] targets;

    Batch(int b, int t) {
      this.b = b;
      this.t = t;
      this.ids = new long[b * t];
      this.rope = new long[b * t];
      this.targets = new float[b * t];
    }

    NDList inputs(NDManager scope, SequenceLayout layout) {
      return new NDList(scope.create(ids, new Shape(b, t)), scope.create(rope, new Shape(b, t)),
          AttentionMasks.forSequence(scope, layout.maskLimits()));
    }

    NDArray targets(NDManager scope) {
      return scope.create(targets, new Shape(b, t));
    }
  }

  GptConfig config() {
    return config;
  }
}
