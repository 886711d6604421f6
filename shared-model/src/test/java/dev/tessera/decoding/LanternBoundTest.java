package dev.tessera.decoding;

import static dev.tessera.decoding.LanternRuleTest.ring;
import static dev.tessera.decoding.LanternRuleTest.tv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.sampling.RequestRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LANTERN's guarantee checked on the output: each rule computes the exact distribution of the token it
 * emits at one verified position ({@link AcceptanceRule#output}, {@link
 * AcceptanceRule#outputOfCandidates}); a chi-square test ties that computation to what the sampler
 * really does; the bounded rule keeps TV(output, p) ≤ δ (and out ≤ λ·p), the paper's rule does not on
 * planted examples.
 */
class LanternBoundTest {

  private static final int V = 64;
  private static final int K = 16;
  private static final int[][] RING = ring(V, K);

  /** A target and a drafter that over-proposes where the target is light (q = 0.7 p + 0.3 noise). */
  private static double[][] pair(SplittableRandom r) {
    return pair(r, V, 0.7);
  }

  /** p at random over v tokens, and q = w·p + (1 − w)·noise. */
  static double[][] pair(SplittableRandom r, int v, double w) {
    double[] p = LanternRuleTest.randomDistribution(r, v);
    double[] noise = LanternRuleTest.randomDistribution(r, v);
    double[] q = new double[v];
    for (int i = 0; i < v; i++) {
      q[i] = w * p[i] + (1 - w) * noise[i];
    }
    return new double[][] {p, q};
  }

  @Test
  void theExactRuleOutputsTheTarget() {
    SplittableRandom r = new SplittableRandom(1);
    for (int trial = 0; trial < 200; trial++) {
      double[][] pq = pair(r);
      assertThat(tv(AcceptanceRule.EXACT.output(pq[0], pq[1]), pq[0])).isLessThan(1e-12);
      int[] candidates = {r.nextInt(V), (r.nextInt(V - 1) + 1) % V};
      if (candidates[0] != candidates[1]) {
        assertThat(tv(AcceptanceRule.EXACT.outputOfCandidates(pq[0], candidates), pq[0]))
            .isLessThan(1e-12);
      }
    }
  }

  @Test
  void boundedRuleKeepsTheChainOutputWithinDelta() {
    SplittableRandom r = new SplittableRandom(2);
    for (double delta : new double[] {0.05, 0.1, 0.2}) {
      AcceptanceRule rule = new BoundedLanternRule(RING, K, delta);
      double spent = 0;
      for (int trial = 0; trial < 300; trial++) {
        double[][] pq = pair(r);
        double[] out = rule.output(pq[0], pq[1]);
        assertThat(LanternRuleTest.sum(out)).isCloseTo(1.0, within(1e-9));
        double t = tv(out, pq[0]);
        assertThat(t).as("TV(output, p) at δ = " + delta).isLessThanOrEqualTo(delta + 1e-12);
        spent = Math.max(spent, t);
      }
      assertThat(spent).as("the budget is used, not left idle").isGreaterThan(delta * 0.99);
    }
  }

  @Test
  void paperRuleBreaksTheChainBoundOnThePlantedExample() {
    SplittableRandom r = new SplittableRandom(2);
    double delta = 0.05;
    double[][] pq = pair(r);
    double paper = tv(new LanternRule(RING, K, delta).output(pq[0], pq[1]), pq[0]);
    double bounded = tv(new BoundedLanternRule(RING, K, delta).output(pq[0], pq[1]), pq[0]);
    assertThat(paper).as("paper rule's TV(output, p)").isGreaterThan(2 * delta);
    assertThat(bounded).as("bounded rule's TV(output, p)").isLessThanOrEqualTo(delta + 1e-12);
  }

  @Test
  void boundedRuleKeepsTreeSiblingsWithinDeltaAndThePaperRuleDoesNot() {
    SplittableRandom r = new SplittableRandom(3);
    double delta = 0.1;
    AcceptanceRule bounded = new BoundedLanternRule(RING, K, delta);
    AcceptanceRule paper = new LanternRule(RING, K, delta);
    double worstPaper = 0;
    for (int trial = 0; trial < 300; trial++) {
      double[] p = LanternRuleTest.randomDistribution(r, V);
      int[] candidates = distinct(r, 1 + r.nextInt(6));
      double[] out = bounded.outputOfCandidates(p, candidates);
      assertThat(LanternRuleTest.sum(out)).isCloseTo(1.0, within(1e-9));
      assertThat(tv(out, p)).as("bounded tree TV").isLessThanOrEqualTo(delta + 1e-12);
      worstPaper = Math.max(worstPaper, tv(paper.outputOfCandidates(p, candidates), p));
    }
    assertThat(worstPaper).as("paper rule over siblings, worst TV").isGreaterThan(1.5 * delta);
  }

  @Test
  void lambdaBoundsTheOutputMultiplicativelyOnChainsAndTrees() {
    SplittableRandom r = new SplittableRandom(4);
    for (double lambda : new double[] {2, 5}) {
      AcceptanceRule rule = new BoundedLanternRule(RING, K, lambda);
      double gained = 0;
      for (int trial = 0; trial < 300; trial++) {
        double[][] pq = pair(r);
        double[] chain = rule.output(pq[0], pq[1]);
        double[] tree = rule.outputOfCandidates(pq[0], distinct(r, 1 + r.nextInt(6)));
        for (int y = 0; y < V; y++) {
          assertThat(chain[y]).as("chain out(y) <= λ p(y)").isLessThanOrEqualTo(lambda * pq[0][y] + 1e-12);
          assertThat(tree[y]).as("tree out(y) <= λ p(y)").isLessThanOrEqualTo(lambda * pq[0][y] + 1e-12);
        }
        gained = Math.max(gained, tv(chain, pq[0]));
      }
      assertThat(gained).as("λ relaxes something").isGreaterThan(0.01);
    }
  }

  @Test
  void greedyEmitsOnlyTokensWithinTheBudgetOfTheArgmax() {
    SplittableRandom r = new SplittableRandom(5);
    for (double delta : new double[] {0.05, 0.1, 3.0}) {
      for (AcceptanceRule rule : new AcceptanceRule[] {new BoundedLanternRule(RING, K, delta),
          new LanternRule(RING, K, delta)}) {
        int relaxed = 0;
        for (int trial = 0; trial < 300; trial++) {
          double[] p = LanternRuleTest.randomDistribution(r, V);
          double max = 0;
          int argmax = 0;
          for (int y = 0; y < V; y++) {
            if (p[y] > max) {
              max = p[y];
              argmax = y;
            }
          }
          for (int x = 0; x < V; x++) {
            if (!rule.greedyAccepts(p, x)) {
              continue;
            }
            if (x != argmax) {
              relaxed++;
            }
            if (delta <= 1) {
              assertThat(p[x]).as("greedy: p(x) >= max p − δ").isGreaterThanOrEqualTo(max - delta);
            } else {
              assertThat(delta * p[x]).as("greedy: λ p(x) >= max p").isGreaterThanOrEqualTo(max);
            }
          }
          assertThat(AcceptanceRule.EXACT.greedyAccepts(p, argmax)).isTrue();
        }
        assertThat(relaxed).as("relaxation accepts non-argmax tokens at all").isPositive();
      }
    }
  }

  /** The computed output is what the sampler does: chi-square of 40 000 verdicts against it. */
  @Test
  void theComputedOutputIsTheSamplersDistributionAndTheCheckHasPower() {
    double[] p = {0.30, 0.02, 0.03, 0.05, 0.20, 0.10, 0.25, 0.05};
    double[] q = {0.10, 0.20, 0.20, 0.05, 0.05, 0.20, 0.10, 0.10};
    int[][] table = ring(8, 4);
    double delta = 0.1;
    AcceptanceRule bounded = new BoundedLanternRule(table, 4, delta);
    AcceptanceRule paper = new LanternRule(table, 4, delta);
    int[] boundedCounts = sampleChain(bounded, p, q);
    int[] paperCounts = sampleChain(paper, p, q);
    assertThat(VerifierTest.chiSquare(boundedCounts, bounded.output(p, q))).isLessThan(CRITICAL_7);
    assertThat(VerifierTest.chiSquare(paperCounts, paper.output(p, q))).isLessThan(CRITICAL_7);
    assertThat(VerifierTest.chiSquare(paperCounts, bounded.output(p, q)))
        .as("the paper's draws against the bounded output: a different distribution, caught")
        .isGreaterThan(CRITICAL_7);
    int[] candidates = {1, 4, 2};
    for (AcceptanceRule rule : new AcceptanceRule[] {bounded, paper, AcceptanceRule.EXACT}) {
      int[] counts = new int[8];
      RequestRandom rr = new RequestRandom(11);
      for (int i = 0; i < DRAWS; i++) {
        counts[rule.verifyCandidates(p, candidates, rr).token()]++;
      }
      assertThat(VerifierTest.chiSquare(counts, rule.outputOfCandidates(p, candidates)))
          .as("tree candidates, sampled vs computed").isLessThan(CRITICAL_7);
    }
    assertThat(tv(paper.output(p, q), p)).as("paper TV on this example").isGreaterThan(delta);
  }

  /** Siblings tried without removing the rejected one: the exact-candidates check rejects it. */
  @Test
  void aSiblingLoopThatKeepsRejectedCandidatesIsCaught() {
    double[] p = {0.30, 0.02, 0.03, 0.05, 0.20, 0.10, 0.25, 0.05};
    int[] candidates = {0, 6, 4};
    int[] counts = new int[8];
    RequestRandom rr = new RequestRandom(12);
    for (int i = 0; i < DRAWS; i++) {
      int token = -1;
      for (int x : candidates) {
        if (rr.nextUniform() < p[x]) { // wrong: p never loses the rejected siblings
          token = x;
          break;
        }
      }
      counts[token >= 0 ? token : rr.sample(p)]++;
    }
    assertThat(VerifierTest.chiSquare(counts, p)).isGreaterThan(CRITICAL_7);
  }

  private static final int DRAWS = 40_000;
  // chi-square critical value, 7 degrees of freedom, p = 0.001
  private static final double CRITICAL_7 = 24.32;

  private static int[] sampleChain(AcceptanceRule rule, double[] p, double[] q) {
    RequestRandom r = new RequestRandom(7);
    int[] counts = new int[p.length];
    for (int i = 0; i < DRAWS; i++) {
      int x = r.sample(q);
      counts[rule.verify(p, q, x, r).token()]++;
    }
    return counts;
  }

  private static int[] distinct(SplittableRandom r, int n) {
    int[] out = new int[n];
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    int i = 0;
    while (i < n) {
      int x = r.nextInt(V);
      if (seen.add(x)) {
        out[i++] = x;
      }
    }
    return out;
  }
}
