package dev.tessera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.tessera.model.AttentionMasks;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.model.GptConfig;
import dev.tessera.model.KvAccess;
import dev.tessera.model.RandomWeights;
import dev.tessera.model.Rope2d;
import dev.tessera.model.SequenceLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Trains the EAGLE drafter on a frozen raster target's features with teacher forcing
 * (algorithms.md §2.7): row p takes (f_p, token p) and regresses f_{p+1}; loss = SmoothL1(f̂, f) +
 * 0.1 · CE(softmax(head(f)), log_softmax(head(f̂))); input features get uniform noise; 10% of samples
 * use the null class so the drafter also learns the unconditional stream.
 */
public final class DrafterTrainer extends TrainingRun {

  private final Gpt target;
  private final GptConfig config;
  private final SequenceLayout layout;
  private final DrafterBlock block;

  public DrafterTrainer(Gpt target, TrainConfig train, PrintStream log) {
    this(new DrafterBlock(target), train, log);
  }

  private DrafterTrainer(DrafterBlock block, TrainConfig train, PrintStream log) {
    super("drafter", block, train, log);
    this.block = block;
    this.target = block.target();
    this.config = target.config();
    if (config.parallelTokens() != 1) {
      throw new IllegalArgumentException("the drafter's target must be a raster-order model");
    }
    this.layout = new SequenceLayout(config);
    int t = rows();
    trainer.initialize(new Shape(train.batch(), t), new Shape(train.batch(), t, config.dim()),
        new Shape(train.batch(), t), new Shape(1, 1, t, t));
    try (NDManager init = trainer.getManager().newSubManager()) {
      block.setValues(RandomWeights.create(init, Drafter.expectedShapes(config), train.seed()));
    }
  }

  /** Resumes a drafter checkpoint against its (frozen) target. */
  public static DrafterTrainer resume(Path dir, Gpt target, PrintStream log) throws IOException {
    Checkpoints.State state = Checkpoints.readState(dir);
    DrafterTrainer t = new DrafterTrainer(target, state.train(), log);
    Checkpoints.restore(dir, t, Drafter.expectedShapes(target.config()), state.step());
    return t;
  }

  /** Drafter rows per image: pairs (f_p, token p) for p = 0..N−2. */
  private int rows() {
    return config.imageTokens() - 1;
  }

  @Override
  public DrafterBlock block() {
    return block;
  }

  @Override
  int tokensPerImage() {
    return rows();
  }

  @Override
  Checkpoints.State state() {
    return new Checkpoints.State(step, "drafter", config, train);
  }

  @Override
  double trainStep(TokenImages data) {
    int b = train.batch();
    SplittableRandom random = new SplittableRandom(train.seed() * 1_000_003L + step);
    int[] images = new int[b];
    int[] labels = new int[b];
    for (int i = 0; i < b; i++) {
      images[i] = DataOrder.index(data.size(), train.seed(), (long) step * b + i);
      labels[i] = random.nextDouble() < train.classDropout() ? config.nullClass()
          : data.label(images[i]);
    }
    float lossValue;
    try (NDManager scope = trainer.getManager().newSubManager()) {
      Teacher teacher = teacher(scope, data, images, labels);
      NDArray noise = scope.randomUniform(-0.1f, 0.1f, teacher.inputFeatures.getShape());
      NDList inputs = new NDList(teacher.tokens, teacher.inputFeatures.add(noise), teacher.rope,
          teacher.mask);
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDList out = trainer.forward(inputs);
        NDArray loss = loss(out, teacher);
        gc.backward(loss);
        lossValue = loss.getFloat();
      }
      clipAndStep(scope);
    }
    return lossValue;
  }

  /** Top-1 agreement of the drafter with the target on images [from, from+count), with teacher forcing. */
  public double topOneAgreement(TokenImages data, int from, int count) {
    long agree = 0;
    long total = 0;
    for (int start = from; start < from + count; start += train.batch()) {
      int b = Math.min(train.batch(), from + count - start);
      int[] images = new int[b];
      int[] labels = new int[b];
      for (int i = 0; i < b; i++) {
        images[i] = start + i;
        labels[i] = data.label(start + i);
      }
      try (NDManager scope = trainer.getManager().newSubManager()) {
        Teacher teacher = teacher(scope, data, images, labels);
        NDList out = block.forward(new ParameterStore(scope, false), new NDList(teacher.tokens,
            teacher.inputFeatures, teacher.rope, teacher.mask), false);
        NDArray same = out.get(0).argMax(-1).eq(teacher.logits.argMax(-1));
        agree += same.sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
        total += same.size();
      }
    }
    return agree / (double) total;
  }

  /** The frozen target's teacher-forced features and the drafter's inputs and targets. */
  private record Teacher(NDArray tokens, NDArray inputFeatures, NDArray rope, NDArray mask,
      NDArray targetFeatures, NDArray logits) {}

  private Teacher teacher(NDManager scope, TokenImages data, int[] images, int[] labels) {
    int b = images.length;
    int n = config.sequenceLength();
    int r = rows();
    long[] ids = new long[b * n];
    long[] rope = new long[b * n];
    long[] tokens = new long[b * r];
    long[] draftRope = new long[b * r];
    for (int i = 0; i < b; i++) {
      int[] seq = data.tokens(images[i]);
      long[][] in = layout.teacherForcedInputs(seq, labels[i]);
      System.arraycopy(in[0], 0, ids, i * n, n);
      System.arraycopy(in[1], 0, rope, i * n, n);
      for (int p = 0; p < r; p++) {
        tokens[i * r + p] = seq[p];
        draftRope[i * r + p] = Rope2d.gridRow(p);
      }
    }
    Gpt.Output out = target.forward(scope, scope.create(ids, new Shape(b, n)),
        scope.create(rope, new Shape(b, n)),
        AttentionMasks.forSequence(scope, AttentionMasks.causal(n)), KvAccess.NONE);
    NDArray f = out.hidden(); // [B, N, D]
    return new Teacher(scope.create(tokens, new Shape(b, r)),
        f.get(new NDIndex(":, :{}", r)), scope.create(draftRope, new Shape(b, r)),
        AttentionMasks.forSequence(scope, AttentionMasks.causal(r)),
        f.get(new NDIndex(":, 1:")), out.logits().get(new NDIndex(":, 1:")));
  }

  /** SmoothL1(f̂, f) + 0.1 · CE(softmax(target logits), log_softmax(drafter logits)). */
  private static NDArray loss(NDList out, Teacher teacher) {
    NDArray diff = out.get(1).sub(teacher.targetFeatures).abs();
    NDArray smoothL1 = NDArrays.where(diff.lt(1f), diff.square().mul(0.5f), diff.sub(0.5f)).mean();
    NDArray ce = teacher.logits.softmax(-1).mul(out.get(0).logSoftmax(-1)).sum(new int[] {-1})
        .mean().neg();
    return smoothL1.add(ce.mul(0.1f));
  }
}
