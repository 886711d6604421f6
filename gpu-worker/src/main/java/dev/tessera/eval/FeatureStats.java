package dev.tessera.eval;

/**
 * Mean and covariance of a set of feature vectors (what a Fréchet distance compares).
 *
 * @param mean {@code [d]}
 * @param covariance {@code [d][d]}, unbiased (divides by n − 1)
 * @param count how many vectors
 */
public record FeatureStats(double[] mean, double[][] covariance, int count) {

  /** Checks shapes. */
  public FeatureStats {
    if (covariance.length != mean.length) {
      throw new IllegalArgumentException("covariance is " + covariance.length + "x? for a mean of " + mean.length);
    }
    if (count < 2) {
      throw new IllegalArgumentException("need at least 2 feature vectors, got " + count);
    }
  }

  /** Statistics of {@code features} ({@code [n][d]}, n ≥ 2), accumulated in double. */
  public static FeatureStats of(float[][] features) {
    int n = features.length;
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 feature vectors, got " + n);
    }
    int d = features[0].length;
    double[] mean = new double[d];
    for (float[] f : features) {
      for (int j = 0; j < d; j++) {
        mean[j] += f[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[][] cov = new double[d][d];
    double[] c = new double[d];
    for (float[] f : features) {
      for (int j = 0; j < d; j++) {
        c[j] = f[j] - mean[j];
      }
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          cov[i][j] += c[i] * c[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= n - 1;
        cov[j][i] = cov[i][j];
      }
    }
    return new FeatureStats(mean, cov, n);
  }

  /** Feature dimension. */
  public int dim() {
    return mean.length;
  }
}
