package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LanternRuleTest {

  /** Neighbours of x: x+1, x+2, ... (mod V). */
  static int[][] ring(int v, int k) {
    int[][] t = new int[v][k];
    for (int x = 0; x < v; x++) {
      for (int j = 0; j < k; j++) {
        t[x][j] = (x + 1 + j) % v;
      }
    }
    return t;
  }

  @Test
  void absorbsTheLongestProximityPrefixWithinTheBudget() {
    double[] p = {0.30, 0.04, 0.05, 0.20, 0.41};
    double[] relaxed = new LanternRule(ring(5, 4), 4, 0.1).relax(p, 0);
    // neighbours of 0: 1 (0.04), 2 (0.05) -> 0.09 <= 0.1; then 3 (0.20) would exceed
    assertThat(relaxed[0]).as("p̃(x) = p(x) + s_m").isCloseTo(0.39, within(1e-12));
    assertThat(relaxed[1]).as("absorbed").isZero();
    assertThat(relaxed[2]).as("absorbed").isZero();
    assertThat(relaxed[3]).as("beyond the prefix, untouched").isEqualTo(0.20);
  }

  @Test
  void lambdaAboveOneBoundsTheRelaxedProbabilityMultiplicatively() {
    double[] p = {0.10, 0.05, 0.08, 0.77};
    double[] relaxed = new LanternRule(ring(4, 3), 3, 2.0).relax(p, 0);
    // budget (λ-1) p(x) = 0.1: absorbs 1 (0.05); 1+2 = 0.13 exceeds
    assertThat(relaxed[0]).as("p̃(x) <= λ p(x)").isCloseTo(0.15, within(1e-12));
  }

  @Test
  void zeroBudgetLeavesTheDistributionUnchanged() {
    double[] p = {0.3, 0.0, 0.2, 0.5};
    assertThat(new LanternRule(ring(4, 3), 3, 0.0).relax(p, 0)).as("δ = 0").containsExactly(p);
  }

  @Test
  void totalVariationToTheTargetNeverExceedsDelta() {
    SplittableRandom r = new SplittableRandom(3);
    int v = 64;
    for (double delta : new double[] {0.05, 0.1, 0.2, 0.4}) {
      LanternRule rule = new LanternRule(ring(v, 32), 32, delta);
      for (int trial = 0; trial < 500; trial++) {
        double[] p = randomDistribution(r, v);
        double[] relaxed = rule.relax(p, r.nextInt(v));
        assertThat(tv(p, relaxed)).as("TV at δ = " + delta).isLessThanOrEqualTo(delta + 1e-12);
        assertThat(sum(relaxed)).as("p̃ sums to 1").isCloseTo(1.0, within(1e-9));
      }
    }
  }

  static double[] randomDistribution(SplittableRandom r, int v) {
    double[] p = new double[v];
    double s = 0;
    for (int i = 0; i < v; i++) {
      p[i] = Math.pow(r.nextDouble(), 4);
      s += p[i];
    }
    for (int i = 0; i < v; i++) {
      p[i] /= s;
    }
    return p;
  }

  static double tv(double[] a, double[] b) {
    double t = 0;
    for (int i = 0; i < a.length; i++) {
      t += Math.abs(a[i] - b[i]);
    }
    return t / 2;
  }

  static double sum(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s;
  }
}
