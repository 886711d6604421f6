package dev.tessera.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every training run shares, on DJL's training API: the Trainer with the checkpointable AdamW,
 * the step loop with progress (loss, tokens/s, ETA), global-norm clipping, periodic checkpoints and
 * resume. Subclasses say what one step computes.
 */
public abstract class TrainingRun implements AutoCloseable {

  final TrainConfig train;
  final PrintStream log;
  final Model model;
  final AdamWState optimizer;
  final Trainer trainer;
  int step;
  int skippedSteps;

  TrainingRun(String name, AbstractBlock block, TrainConfig train, PrintStream log) {
    this.train = train;
    this.log = log;
    this.model = Model.newInstance(name);
    model.setBlock(block);
    this.optimizer = new AdamWState((id, t) -> train.learningRate(t), (float) train.weightDecay());
    this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(optimizer)
        .optDevices(new Device[] {Device.cpu()}));
  }

  /** The trained parameters. */
  public abstract NamedParameters block();

  /** Image tokens one step learns from (for tokens/s). */
  abstract int tokensPerImage();

  /** One optimizer step on the batch this step index selects; returns its loss. */
  abstract double trainStep(TokenImages data);

  /** What state.json records about this run. */
  abstract Checkpoints.State state();

  /** Steps done so far. */
  public int step() {
    return step;
  }

  /**
   * Trains until {@code train.steps()} (or {@code stopAt}, if smaller), checkpointing into {@code
   * checkpointDir} every {@code checkpointEvery} steps and at the end.
   *
   * @return mean loss of the last (up to) 50 steps
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
      step++;
      ema = Double.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
      if (end - step < 50) {
        recent += loss;
        recentCount++;
      }
      if (step % 10 == 0 || step == end) {
        double secs = (System.nanoTime() - started) / 1e9;
        double perStep = secs / (step - startStep);
        double tokensPerSec = (step - startStep) * (double) train.batch() * tokensPerImage() / secs;
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

  /** Scales gradients to the clip norm, steps the optimizer, zeroes the gradients. */
  void clipAndStep(NDManager scope) {
    double sq = 0;
    for (Parameter p : block().parametersByName().values()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      sq += g.square().sum().getFloat();
    }
    double norm = Math.sqrt(sq);
    if (Double.isFinite(norm)) {
      optimizer.setGradScale(norm > train.clipNorm() ? (float) (train.clipNorm() / norm) : 1f);
      trainer.step();
    } else {
      // an inf or NaN gradient would poison the AdamW moments for good: drop this batch's update
      skippedSteps++;
      log.printf("step %d: non-finite gradient norm, update skipped (%d so far)%n", step,
          skippedSteps);
    }
    for (Parameter p : block().parametersByName().values()) {
      // assign, not multiply: a NaN or inf gradient times zero stays NaN and would poison every
      // later step
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      g.set(new ai.djl.ndarray.index.NDIndex(":"), 0f);
    }
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
