package dev.tessera.decoding;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.model.KvLease;
import dev.tessera.sampling.RequestRandom;

/** A request being decoded: its streams' lease, its random stream, its tokens and counters. */
class Sequence {

  final DecodeJob job;
  final KvLease lease;
  final RequestRandom random;
  final int[] tokens; // in the model's sequence order
  final long admittedNanos = System.nanoTime();
  int count;
  int steps;
  int targetForwards;
  int drafterForwards;
  int drafted;
  int accepted;
  int[] acceptedHistogram = new int[0];

  Sequence(DecodeJob job, KvLease lease, int imageTokens) {
    this.job = job;
    this.lease = lease;
    this.random = new RequestRandom(job.seed());
    this.tokens = new int[imageTokens];
  }

  boolean done() {
    return count == tokens.length;
  }

  /** Label fed to stream s: the class for the cond stream, the null class for the uncond one. */
  int label(int stream, int nullClass) {
    return stream == 0 ? job.classLabel() : nullClass;
  }

  void recordAccepted(int acceptedDrafts) {
    if (acceptedHistogram.length <= acceptedDrafts) {
      acceptedHistogram = java.util.Arrays.copyOf(acceptedHistogram, acceptedDrafts + 1);
    }
    acceptedHistogram[acceptedDrafts]++;
  }

  /** The finished output, tokens given in raster order. */
  DecodeOutput output(int[] rasterTokens) {
    long ms = (System.nanoTime() - admittedNanos) / 1_000_000;
    double meanAccepted = targetForwards == 0 ? 0 : tokens.length / (double) targetForwards;
    return new DecodeOutput(job.requestId(), rasterTokens, new DecodeMetrics(steps, targetForwards,
        drafterForwards, drafted, accepted, meanAccepted, acceptedHistogram, ms));
  }
}
