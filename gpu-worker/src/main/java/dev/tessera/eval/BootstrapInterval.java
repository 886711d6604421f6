package dev.tessera.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * 95% bootstrap intervals of class accuracy and Fréchet distance: the generated images are resampled
 * with replacement (their classifier features and predictions computed once), the reference
 * statistics held fixed. A resample repeats images, which inflates a Fréchet distance, so the
 * distance's percentile interval is shifted by that bias (bootstrap median minus the estimate on all
 * images) to be centred on the estimate.
 *
 * @param accuracyLow 2.5th percentile of the class accuracy
 * @param accuracyHigh 97.5th percentile
 * @param frechetLow 2.5th percentile of the Fréchet distance
 * @param frechetHigh 97.5th percentile
 * @param resamples bootstrap resamples drawn
 */
public record BootstrapInterval(double accuracyLow, double accuracyHigh, double frechetLow,
    double frechetHigh, int resamples) {

  /**
   * @param features the generated images' classifier features {@code [n][d]}
   * @param correct whether each image was classified as its intended class
   * @param reference the reference split's feature statistics
   */
  public static BootstrapInterval of(float[][] features, boolean[] correct, FeatureStats reference,
      int resamples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = features.length;
    double[] acc = new double[resamples];
    double[] fd = new double[resamples];
    float[][] sample = new float[n][];
    for (int b = 0; b < resamples; b++) {
      int ok = 0;
      for (int i = 0; i < n; i++) {
        int j = random.nextInt(n);
        sample[i] = features[j];
        ok += correct[j] ? 1 : 0;
      }
      acc[b] = ok / (double) n;
      fd[b] = FrechetDistance.between(FeatureStats.of(sample), reference);
    }
    Arrays.sort(acc);
    Arrays.sort(fd);
    int lo = (int) Math.floor(0.025 * (resamples - 1));
    int hi = (int) Math.ceil(0.975 * (resamples - 1));
    double bias = fd[resamples / 2] - FrechetDistance.between(FeatureStats.of(features), reference);
    return new BootstrapInterval(acc[lo], acc[hi], fd[lo] - bias, fd[hi] - bias, resamples);
  }
}
