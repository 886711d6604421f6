package dev.tessera.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

  @Test
  void identicalDistributionsAreAtDistanceZero() {
    FeatureStats s = stats(new double[] {1, 2, 3}, diag(1, 4, 9));
    assertThat(FrechetDistance.between(s, s)).as("FD(s, s)").isCloseTo(0, within(1e-9));
  }

  @Test
  void diagonalCovariancesGiveTheClosedForm() {
    // ‖μ1−μ2‖² + Σ(√a − √b)²: (1 + 4) + ((1−2)² + (2−3)² + (3−1)²) = 5 + 6 = 11
    FeatureStats a = stats(new double[] {0, 0, 0}, diag(1, 4, 9));
    FeatureStats b = stats(new double[] {1, 2, 0}, diag(4, 9, 1));
    assertThat(FrechetDistance.between(a, b)).as("FD of diagonal Gaussians").isCloseTo(11, within(1e-9));
  }

  @Test
  void correlatedCovarianceAgainstIdentityMatchesHandComputedValue() {
    // Σ1 = I, Σ2 = [[2,1],[1,2]] (eigenvalues 3, 1): 2 + 4 − 2(√3 + 1) = 4 − 2√3
    FeatureStats a = stats(new double[] {0, 0}, diag(1, 1));
    FeatureStats b = stats(new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}});
    assertThat(FrechetDistance.between(a, b)).as("FD(I, [[2,1],[1,2]])").isCloseTo(4 - 2 * Math.sqrt(3), within(1e-9));
  }

  @Test
  void distanceIsSymmetricOnRandomFeatures() {
    float[][] x = random(400, 16, 1, 0f);
    float[][] y = random(300, 16, 2, 0.5f);
    double xy = FrechetDistance.between(x, y);
    double yx = FrechetDistance.between(y, x);
    assertThat(xy).as("FD(x, y) vs FD(y, x)").isCloseTo(yx, within(1e-6 * xy));
    assertThat(xy).as("shifted means are apart: 16 · 0.5² = 4 plus sampling noise").isBetween(3.0, 6.0);
  }

  @Test
  void featureStatsGiveTheUnbiasedCovariance() {
    FeatureStats s = FeatureStats.of(new float[][] {{1, 2}, {3, 6}, {5, 10}});
    assertThat(s.mean()).as("mean").containsExactly(3, 6);
    assertThat(s.covariance()[0]).as("cov row 0").containsExactly(4, 8);
    assertThat(s.covariance()[1]).as("cov row 1").containsExactly(8, 16);
  }

  private static FeatureStats stats(double[] mean, double[][] cov) {
    return new FeatureStats(mean, cov, 100);
  }

  private static double[][] diag(double... d) {
    double[][] m = new double[d.length][d.length];
    for (int i = 0; i < d.length; i++) {
      m[i][i] = d[i];
    }
    return m;
  }

  static float[][] random(int n, int d, long seed, float shift) {
    Random r = new Random(seed);
    float[][] out = new float[n][d];
    for (float[] row : out) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) r.nextGaussian() + shift;
      }
    }
    return out;
  }
}
