package dev.tessera.worker.cli;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.GptServedModel;
import dev.tessera.serving.ServedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes N images spread evenly over the classes (image i has class i mod C and seed seed + i) with
 * one strategy, at most {@code batch} at a time through the continuous-batching decoder, and sums
 * their metrics. The images can be decoded in slices ({@link #decode}) with one decoder kept open, so
 * that {@code bench decode} can interleave its rows: every row then sees the same machine load, and
 * its time is the sum of its slices. Shared by {@code eval} and {@code bench decode}.
 */
final class ImageBatchRun implements AutoCloseable {

  /** Decoded images (32×32 in [0, 1]) with their classes and the run's totals. */
  record Result(float[][] images, int[] labels, double seconds, long targetForwards,
      long drafterForwards, long drafted, long accepted, long tokens, int[] acceptedHistogram) {

    double targetForwardsPerImage() {
      return targetForwards / (double) images.length;
    }

    /** Tokens committed per target forward. */
    double meanAcceptedLength() {
      return tokens / (double) targetForwards;
    }

    double secondsPerImage() {
      return seconds / images.length;
    }
  }

  private final GptServedModel model;
  private final StepDecoder decoder;
  private final int classes;
  private final int batch;
  private final long seed;
  private final SamplingParams sampling;
  private final Strategy strategy;
  private final StrategyParams params;
  private final float[][] out;
  private final int[] labels;
  private final long[] sums = new long[5];
  private final int[] histogram = new int[GptServedModel.MAX_DRAFT_LEN + 1];
  private long nanos;

  ImageBatchRun(ServedModel model, Strategy strategy, SamplingParams sampling,
      StrategyParams params, int images, int batch, long seed) {
    if (((GptServedModel) model).tokenizer() == null) {
      throw new UsageException("model " + model.info().name() + " is of family "
          + model.info().family().configName() + "; eval and bench decode score Tessera-family "
          + "32x32 images (LlamaGen sizes: ./tessera bench decode --llamagen B,L)");
    }
    this.model = (GptServedModel) model;
    this.classes = model.info().numClasses();
    this.batch = batch;
    this.seed = seed;
    this.sampling = sampling;
    this.strategy = strategy;
    this.params = params;
    this.out = new float[images][];
    this.labels = new int[images];
    this.decoder = model.newDecoder(strategy, Math.min(batch, images));
  }

  /** All N images in one go, with progress and an ETA under {@code progressLabel} (null: quiet). */
  static Result run(ServedModel model, Strategy strategy, SamplingParams sampling,
      StrategyParams params, int images, int batch, long seed, String progressLabel) {
    try (ImageBatchRun run = new ImageBatchRun(model, strategy, sampling, params, images, batch,
        seed)) {
      run.decode(0, images, progressLabel);
      return run.result();
    }
  }

  /** Decodes images [from, to), timed; the decoder is empty again when it returns. */
  void decode(int from, int to, String progressLabel) {
    List<DecodeJob> pending = new ArrayList<>();
    for (int i = from; i < to; i++) {
      pending.add(new DecodeJob(Integer.toString(i), i % classes, seed + i, sampling, strategy,
          params));
    }
    long started = System.nanoTime();
    int done = 0;
    int next = 0;
    int n = pending.size();
    while (done < n) {
      while (next < n && decoder.canAdmit(pending.get(next)) && decoder.activeJobs() < batch) {
        decoder.admit(pending.get(next++));
      }
      for (DecodeOutput o : decoder.step()) {
        record(o);
        done++;
        if (progressLabel != null && (done % Math.max(1, n / 10) == 0 || done == n)) {
          double secs = (System.nanoTime() - started) / 1e9;
          System.err.printf("  %s: %d/%d images, %.1f s, ETA %.0f s%n", progressLabel, done, n,
              secs, secs / done * (n - done));
        }
      }
    }
    nanos += System.nanoTime() - started;
  }

  private void record(DecodeOutput o) {
    int i = Integer.parseInt(o.requestId());
    out[i] = model.tokenizer().decode(o.tokens());
    labels[i] = i % classes;
    DecodeMetrics m = o.metrics();
    sums[0] += m.targetForwards();
    sums[1] += m.drafterForwards();
    sums[2] += m.draftedTokens();
    sums[3] += m.acceptedTokens();
    sums[4] += o.tokens().length;
    int[] h = m.acceptedPerPosition();
    for (int k = 0; k < h.length && k < histogram.length; k++) {
      histogram[k] += h[k];
    }
  }

  /** The totals so far (every image must have been decoded). */
  Result result() {
    for (float[] image : out) {
      if (image == null) {
        throw new IllegalStateException("not every image was decoded");
      }
    }
    return new Result(out, labels, nanos / 1e9, sums[0], sums[1], sums[2], sums[3], sums[4],
        histogram.clone());
  }

  @Override
  public void close() {
    decoder.close();
  }
}
