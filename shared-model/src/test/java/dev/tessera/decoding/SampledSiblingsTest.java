package dev.tessera.decoding;

import static dev.tessera.decoding.LanternRuleTest.ring;
import static dev.tessera.decoding.LanternRuleTest.tv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.sampling.RequestRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LANTERN++'s static tree at one node: k children drawn from the drafter without replacement, tried
 * in turn by recursive rejection sampling ({@link AcceptanceRule#verifySampled}). The exact output
 * distribution ({@link AcceptanceRule#outputOfSampled}, every ordered draw enumerated) is p for the
 * exact rule, within δ of p (and at most λ·p) for the bounded rule, and beyond δ for the paper's rule;
 * a chi-square test ties the computation to the sampler, and catches siblings verified against q
 * instead of q without the earlier siblings.
 */
class SampledSiblingsTest {

  private static final int V = 12;
  private static final int K = 4;
  private static final int[][] RING = ring(V, K);
  private static final int DRAWS = 40_000;
  // chi-square critical value, 7 degrees of freedom, p = 0.001
  private static final double CRITICAL_7 = 24.32;

  /** A target and a drafter that over-proposes where the target is light. */
  private static double[][] pair(SplittableRandom r) {
    return LanternBoundTest.pair(r, V, 0.6);
  }

  @Test
  void theExactRuleOutputsTheTargetForAnyNumberOfSiblings() {
    SplittableRandom r = new SplittableRandom(1);
    for (int trial = 0; trial < 50; trial++) {
      double[][] pq = pair(r);
      for (int k = 1; k <= 3; k++) {
        double[] out = AcceptanceRule.EXACT.outputOfSampled(pq[0], pq[1], k);
        assertThat(tv(out, pq[0])).as("exact, k = " + k).isLessThan(1e-12);
      }
    }
  }

  @Test
  void boundedRuleKeepsSampledSiblingsWithinDeltaAndUsesTheBudget() {
    SplittableRandom r = new SplittableRandom(2);
    for (double delta : new double[] {0.05, 0.1, 0.2}) {
      AcceptanceRule rule = new BoundedLanternRule(RING, K, delta);
      double spent = 0;
      for (int trial = 0; trial < 50; trial++) {
        double[][] pq = pair(r);
        for (int k = 1; k <= 3; k++) {
          double[] out = rule.outputOfSampled(pq[0], pq[1], k);
          assertThat(LanternRuleTest.sum(out)).isCloseTo(1.0, within(1e-9));
          double t = tv(out, pq[0]);
          assertThat(t).as("TV(output, p), δ = " + delta + ", k = " + k)
              .isLessThanOrEqualTo(delta + 1e-12);
          spent = Math.max(spent, t);
        }
      }
      assertThat(spent).as("the budget is used, not left idle").isGreaterThan(delta * 0.9);
    }
  }

  @Test
  void lambdaBoundsSampledSiblingsMultiplicatively() {
    SplittableRandom r = new SplittableRandom(3);
    for (double lambda : new double[] {2, 5}) {
      AcceptanceRule rule = new BoundedLanternRule(RING, K, lambda);
      for (int trial = 0; trial < 50; trial++) {
        double[][] pq = pair(r);
        double[] out = rule.outputOfSampled(pq[0], pq[1], 3);
        for (int y = 0; y < V; y++) {
          assertThat(out[y]).as("out(y) <= λ p(y)").isLessThanOrEqualTo(lambda * pq[0][y] + 1e-12);
        }
      }
    }
  }

  @Test
  void thePapersRuleLeavesTheBoundOnSampledSiblings() {
    SplittableRandom r = new SplittableRandom(4);
    double delta = 0.05;
    AcceptanceRule paper = new LanternRule(RING, K, delta);
    double worst = 0;
    for (int trial = 0; trial < 50; trial++) {
      double[][] pq = pair(r);
      worst = Math.max(worst, tv(paper.outputOfSampled(pq[0], pq[1], 2), pq[0]));
    }
    assertThat(worst).as("paper rule, worst TV(output, p)").isGreaterThan(1.5 * delta);
  }

  /** The computed output is what the sampler does, for every rule; a wrong q is caught. */
  @Test
  void theComputedOutputIsTheSamplersDistributionAndTheCheckHasPower() {
    double[] p = {0.30, 0.02, 0.03, 0.05, 0.20, 0.10, 0.25, 0.05};
    double[] q = {0.05, 0.25, 0.20, 0.05, 0.05, 0.25, 0.05, 0.10};
    int[][] table = ring(8, 4);
    int k = 3;
    AcceptanceRule[] rules = {AcceptanceRule.EXACT, new BoundedLanternRule(table, 4, 0.1),
        new LanternRule(table, 4, 0.1), new BoundedLanternRule(table, 4, 3.0)};
    for (AcceptanceRule rule : rules) {
      int[] counts = sample(rule, p, q, k, true);
      assertThat(VerifierTest.chiSquare(counts, rule.outputOfSampled(p, q, k)))
          .as("sampled vs computed, " + rule.getClass().getSimpleName()).isLessThan(CRITICAL_7);
    }
    int[] wrong = sample(AcceptanceRule.EXACT, p, q, k, false);
    assertThat(VerifierTest.chiSquare(wrong, p))
        .as("siblings verified against q, not q without the earlier ones: caught")
        .isGreaterThan(CRITICAL_7);
  }

  /** k siblings drawn from q without replacement, verified; {@code renormalise} false plants a bug. */
  private static int[] sample(AcceptanceRule rule, double[] p, double[] q, int k,
      boolean renormalise) {
    RequestRandom r = new RequestRandom(17);
    int[] counts = new int[p.length];
    for (int i = 0; i < DRAWS; i++) {
      double[] remaining = q.clone();
      int[] candidates = new int[k];
      double[][] qs = new double[k][];
      for (int j = 0; j < k; j++) {
        double[] qj = remaining.clone();
        BoundedLanternRule.normalise(qj);
        candidates[j] = r.sample(qj);
        qs[j] = renormalise ? qj : q;
        remaining[candidates[j]] = 0;
      }
      counts[rule.verifySampled(p, candidates, qs, r).token()]++;
    }
    return counts;
  }
}
