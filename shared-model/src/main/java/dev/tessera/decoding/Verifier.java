package dev.tessera.decoding;

import dev.tessera.sampling.RequestRandom;

/**
 * Verification of one drafted token (sampling mode): accept x with probability min(1, p̃(x)/q(x));
 * on rejection draw from the residual norm(max(p̃ − q, 0)). With p̃ = p this is exact rejection
 * sampling: the output is distributed as p. Under LANTERN, p̃ has A's mass on x and zero on A, so the
 * output is distributed as p̃ (TV ≤ δ from p); for a one-hot q on x the residual is p with x and A
 * removed.
 */
public final class Verifier {

  private Verifier() {}

  /** The outcome: accepted, or rejected with the replacement token drawn from the residual. */
  public record Verdict(boolean accepted, int token) {}

  /**
   * @param relaxed p̃, the (relaxed) target distribution
   * @param q the drafter's distribution the draft was sampled from
   * @param x the draft
   */
  public static Verdict verify(double[] relaxed, double[] q, int x, RequestRandom random) {
    double ratio = q[x] <= 0 ? 1.0 : relaxed[x] / q[x];
    if (random.nextUniform() < ratio) {
      return new Verdict(true, x);
    }
    return new Verdict(false, random.sample(residual(relaxed, q)));
  }

  /** norm(max(p̃ − q, 0)); p̃ itself if that is all zero. */
  public static double[] residual(double[] relaxed, double[] q) {
    double[] r = new double[relaxed.length];
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.max(relaxed[i] - q[i], 0);
      sum += r[i];
    }
    if (sum <= 0) {
      double total = 0;
      for (double v : relaxed) {
        total += v;
      }
      for (int i = 0; i < r.length; i++) {
        r[i] = relaxed[i] / total;
      }
      return r;
    }
    for (int i = 0; i < r.length; i++) {
      r[i] /= sum;
    }
    return r;
  }
}
