package dev.tessera.sampling;

import java.util.SplittableRandom;

/**
 * A request's own random stream: the same seed gives the same draws whatever else shares the batch.
 */
public final class RequestRandom {

  private final SplittableRandom random;

  public RequestRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Uniform in [0, 1). */
  public double nextUniform() {
    return random.nextDouble();
  }

  /** Draws an index from a distribution (entries sum to 1; zeros are never drawn). */
  public int sample(double[] p) {
    double u = random.nextDouble();
    double cumulative = 0;
    int lastPositive = -1;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        cumulative += p[i];
        lastPositive = i;
        if (u < cumulative) {
          return i;
        }
      }
    }
    if (lastPositive < 0) {
      throw new IllegalArgumentException("distribution has no positive entry");
    }
    return lastPositive; // rounding: u landed above the accumulated total
  }
}
