package dev.tessera.decoding;

import dev.tessera.sampling.RequestRandom;

/**
 * Verification of one drafted token against a target distribution (sampling mode): accept x with
 * probability min(1, p(x)/q(x)); on rejection draw from the residual norm(max(p − q, 0)). This is
 * exact rejection sampling: the output is distributed as p. The acceptance rules build on it.
 */
public final class Verifier {

  private Verifier() {}

  /**
   * @param target the distribution to verify against
   * @param q the drafter's distribution the draft was sampled from
   * @param x the draft
   */
  public static AcceptanceRule.Verdict verify(double[] target, double[] q, int x,
      RequestRandom random) {
    double ratio = q[x] <= 0 ? 1.0 : target[x] / q[x];
    if (random.nextUniform() < ratio) {
      return new AcceptanceRule.Verdict(true, x);
    }
    return new AcceptanceRule.Verdict(false, random.sample(residual(target, q)));
  }

  /** norm(max(target − q, 0)); the target itself if that is all zero. */
  public static double[] residual(double[] target, double[] q) {
    double[] r = new double[target.length];
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.max(target[i] - q[i], 0);
      sum += r[i];
    }
    if (sum <= 0) {
      double total = 0;
      for (double v : target) {
        total += v;
      }
      for (int i = 0; i < r.length; i++) {
        r[i] = target[i] / total;
      }
      return r;
    }
    for (int i = 0; i < r.length; i++) {
      r[i] /= sum;
    }
    return r;
  }
}
