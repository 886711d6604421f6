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
 * their metrics. Shared by {@code eval} and {@code bench decode}.
 */
final class ImageBatchRun {

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

  private ImageBatchRun() {}

  static Result run(ServedModel model, Strategy strategy, SamplingParams sampling,
      StrategyParams params, int images, int batch, long seed, String progressLabel) {
    if (((GptServedModel) model).tokenizer() == null) {
      throw new UsageException("model " + model.info().name() + " is of family "
          + model.info().family().configName() + "; eval and bench decode score Tessera-family "
          + "32x32 images (LlamaGen sizes: ./tessera bench decode --llamagen B,L)");
    }
    int classes = model.info().numClasses();
    List<DecodeJob> pending = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      pending.add(new DecodeJob(Integer.toString(i), i % classes, seed + i, sampling, strategy,
          params));
    }
    float[][] out = new float[images][];
    int[] labels = new int[images];
    long[] sums = new long[5];
    int[] histogram = new int[GptServedModel.MAX_DRAFT_LEN + 1];
    long started = System.nanoTime();
    int done = 0;
    try (StepDecoder decoder = model.newDecoder(strategy, Math.min(batch, images))) {
      int next = 0;
      while (done < images) {
        while (next < images && decoder.canAdmit(pending.get(next))
            && decoder.activeJobs() < batch) {
          decoder.admit(pending.get(next++));
        }
        for (DecodeOutput o : decoder.step()) {
          int i = Integer.parseInt(o.requestId());
          out[i] = ((GptServedModel) model).tokenizer().decode(o.tokens());
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
          done++;
          if (progressLabel != null && (done % Math.max(1, images / 10) == 0 || done == images)) {
            double secs = (System.nanoTime() - started) / 1e9;
            System.err.printf("  %s: %d/%d images, %.1f s, ETA %.0f s%n", progressLabel, done, images,
                secs, secs / done * (images - done));
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result(out, labels, seconds, sums[0], sums[1], sums[2], sums[3], sums[4], histogram);
  }
}
