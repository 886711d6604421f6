package dev.tessera.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

  @Test
  void twoByTwoHasTheKnownEigenvalues() {
    double[] v = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}}).values().clone();
    Arrays.sort(v);
    assertThat(v[0]).as("smallest eigenvalue").isCloseTo(1, within(1e-12));
    assertThat(v[1]).as("largest eigenvalue").isCloseTo(3, within(1e-12));
  }

  @Test
  void eigenvectorsReconstructTheMatrix() {
    double[][] a = spd(40, 5);
    SymmetricEigen e = SymmetricEigen.of(a);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
          s += e.vectors()[i][k] * e.values()[k] * e.vectors()[j][k];
        }
        assertThat(s).as("V diag(λ) Vᵀ at (%d,%d)", i, j).isCloseTo(a[i][j], within(1e-9));
      }
    }
  }

  @Test
  void squareRootSquaredGivesTheMatrixBack() {
    double[][] a = spd(128, 9);
    double[][] r = SymmetricEigen.sqrtPsd(a);
    double[][] rr = FrechetDistance.multiply(r, r);
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        assertThat(rr[i][j]).as("(√A)² at (%d,%d)", i, j).isCloseTo(a[i][j], within(1e-8));
      }
    }
  }

  /** A random symmetric positive definite matrix XᵀX/n + 0.1·I. */
  private static double[][] spd(int d, long seed) {
    float[][] x = FrechetDistanceTest.random(2 * d, d, seed, 0f);
    double[][] a = FeatureStats.of(x).covariance();
    for (int i = 0; i < d; i++) {
      a[i][i] += 0.1;
    }
    return a;
  }
}
