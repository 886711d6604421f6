package dev.tessera.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.sampling.RequestRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactness of speculative decoding end to end, on a planted model whose drafter disagrees with its
 * target (peaked, class-dependent distributions, so CFG, the residual and the bonus token all matter):
 * the tokens decoded at positions 1-3 (drafted, verified, bonus or residual) of 2000 images are tested
 * against the target's exact marginals, computed by enumerating every prefix. The same statistic is run
 * with planted bugs (a residual drawn from p, q taken without CFG, the bonus drawn at the wrong
 * position, tree siblings not removed on rejection, a static tree's siblings verified against the
 * wrong q) and must reject each of them. Chains, adaptive chains, EAGLE-2 dynamic trees and
 * LANTERN++ static trees.
 */
class SpeculativeExactnessTest {

  private static final int IMAGES = 2000;
  private static final int LABEL = 1;
  // chi-square critical value, 7 degrees of freedom, p = 0.001 (each position)
  private static final double CRITICAL = 24.32;
  private static final SamplingParams PLAIN = new SamplingParams(3.0, 1.0, 0, 1.0);
  private static final SamplingParams FILTERED = new SamplingParams(3.0, 1.0, 4, 0.9);
  private static final StrategyParams CHAIN = new StrategyParams(2, 0, 0);
  private static final StrategyParams TREE =
      new StrategyParams(2, 0, 0, StrategyParams.BOUNDED, 3, 6);
  private static final StrategyParams STATIC_TREE =
      new StrategyParams(3, 0, 0, StrategyParams.BOUNDED, 3, 8, 0, StrategyParams.STATIC);
  private static final StrategyParams ADAPTIVE_CHAIN =
      new StrategyParams(3, 0, 0, StrategyParams.BOUNDED, 3, 0, 0.3, StrategyParams.DYNAMIC);

  private static PlantedModel model;

  @BeforeAll
  static void plant() {
    model = new PlantedModel(21);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void anExactChainDecodesTheTargetsDistribution() {
    Run run = decode(PLAIN, CHAIN, SpeculativeDecoder.Fault.NONE, j -> AcceptanceRule.EXACT);
    assertThat(run.worstChiSquare).as("chain, worst position").isLessThan(CRITICAL);
    assertThat(run.acceptance).as("the drafter disagrees: acceptance").isBetween(0.15, 0.85);
  }

  @Test
  void anExactTreeDecodesTheTargetsDistribution() {
    Run run = decode(PLAIN, TREE, SpeculativeDecoder.Fault.NONE, j -> AcceptanceRule.EXACT);
    assertThat(run.worstChiSquare).as("tree, worst position").isLessThan(CRITICAL);
  }

  @Test
  void anExactStaticTreeDecodesTheTargetsDistribution() {
    Run run = decode(PLAIN, STATIC_TREE, SpeculativeDecoder.Fault.NONE, j -> AcceptanceRule.EXACT);
    assertThat(run.worstChiSquare).as("static tree, worst position").isLessThan(CRITICAL);
  }

  @Test
  void anAdaptiveChainDraftsLessAndStillDecodesTheTargetsDistribution() {
    Run adaptive = decode(PLAIN, ADAPTIVE_CHAIN, SpeculativeDecoder.Fault.NONE,
        j -> AcceptanceRule.EXACT);
    Run full = decode(PLAIN, new StrategyParams(3, 0, 0), 300, SpeculativeDecoder.Fault.NONE,
        j -> AcceptanceRule.EXACT);
    assertThat(adaptive.worstChiSquare).as("adaptive chain, worst position").isLessThan(CRITICAL);
    assertThat(adaptive.draftedPerStep).as("drafts per step below the threshold's stop")
        .isLessThan(full.draftedPerStep - 0.2);
  }

  @Test
  void theTestRejectsStaticSiblingsVerifiedAgainstTheWrongQ() {
    Run run = decode(PLAIN, STATIC_TREE, SpeculativeDecoder.Fault.STATIC_Q_NOT_RENORMALISED,
        j -> AcceptanceRule.EXACT);
    assertThat(run.worstChiSquare).as("siblings against q, not q without the earlier ones")
        .isGreaterThan(CRITICAL);
  }

  @Test
  void topKAndTopPHoldInsideChainsAndTrees() {
    for (StrategyParams params : new StrategyParams[] {CHAIN, TREE, STATIC_TREE}) {
      Run run = decode(FILTERED, params, SpeculativeDecoder.Fault.NONE, j -> AcceptanceRule.EXACT);
      assertThat(run.worstChiSquare).as("top-k 4, top-p 0.9, tree " + params.tree())
          .isLessThan(CRITICAL);
    }
  }

  @Test
  void theTestRejectsAResidualDrawnFromTheTarget() {
    Run run = decode(PLAIN, CHAIN, SpeculativeDecoder.Fault.NONE, j -> new Delegating() {
      @Override
      public Verdict verify(double[] p, double[] q, int x, RequestRandom random) {
        Verdict v = AcceptanceRule.EXACT.verify(p, q, x, random);
        return v.accepted() ? v : new Verdict(false, random.sample(p));
      }
    });
    assertThat(run.worstChiSquare).as("residual = p").isGreaterThan(CRITICAL);
  }

  @Test
  void theTestRejectsAQWithoutCfg() {
    Run run = decode(PLAIN, CHAIN, SpeculativeDecoder.Fault.Q_WITHOUT_CFG, j -> AcceptanceRule.EXACT);
    assertThat(run.worstChiSquare).as("q verified without CFG").isGreaterThan(CRITICAL);
  }

  @Test
  void theTestRejectsAWrongBonusToken() {
    Run run = decode(PLAIN, CHAIN, SpeculativeDecoder.Fault.BONUS_FROM_PARENT,
        j -> AcceptanceRule.EXACT);
    assertThat(run.worstChiSquare).as("bonus from the previous position").isGreaterThan(CRITICAL);
  }

  @Test
  void theTestRejectsTreeSiblingsKeptAfterRejection() {
    Run run = decode(PLAIN, TREE, SpeculativeDecoder.Fault.NONE, j -> new Delegating() {
      @Override
      public Choice verifyCandidates(double[] p, int[] candidates, RequestRandom random) {
        for (int j2 = 0; j2 < candidates.length; j2++) {
          if (random.nextUniform() < p[candidates[j2]]) { // wrong: p keeps the rejected ones
            return new Choice(j2, candidates[j2]);
          }
        }
        return new Choice(-1, random.sample(p));
      }
    });
    assertThat(run.worstChiSquare).as("siblings not removed").isGreaterThan(CRITICAL);
  }

  /**
   * LANTERN inside the decoder: at every verified position, the exact output distribution of the
   * rule with the p and the drafts the decoder actually used is within δ of p for the bounded rule,
   * chains and trees, and beyond δ somewhere for the paper's rule.
   */
  @Test
  void atEveryVerifiedPositionTheBoundedRulesOutputIsWithinDeltaAndThePapersIsNot() {
    double delta = 0.05;
    int[][] ring = LanternRuleTest.ring(8, 4);
    for (StrategyParams form : new StrategyParams[] {CHAIN, TREE, STATIC_TREE}) {
      double[] worst = new double[2];
      AcceptanceRule[] rules = {new BoundedLanternRule(ring, 4, delta), new LanternRule(ring, 4, delta)};
      for (int r = 0; r < 2; r++) {
        AcceptanceRule rule = rules[r];
        int slot = r;
        decode(PLAIN, form, 200, SpeculativeDecoder.Fault.NONE, j -> new Delegating() {
          @Override
          public Verdict verify(double[] p, double[] q, int x, RequestRandom random) {
            worst[slot] = Math.max(worst[slot], LanternRuleTest.tv(rule.output(p, q), p));
            return rule.verify(p, q, x, random);
          }

          @Override
          public Choice verifyCandidates(double[] p, int[] candidates, RequestRandom random) {
            worst[slot] = Math.max(worst[slot],
                LanternRuleTest.tv(rule.outputOfCandidates(p, candidates), p));
            return rule.verifyCandidates(p, candidates, random);
          }

          @Override
          public Choice verifySampled(double[] p, int[] candidates, double[][] qs,
              RequestRandom random) {
            worst[slot] = Math.max(worst[slot],
                LanternRuleTest.tv(rule.outputOfSampled(p, qs[0], candidates.length), p));
            return rule.verifySampled(p, candidates, qs, random);
          }
        });
      }
      assertThat(worst[0]).as("bounded, worst TV(output, p), " + form)
          .isLessThanOrEqualTo(delta + 1e-12);
      assertThat(worst[1]).as("paper, worst TV(output, p), " + form).isGreaterThan(delta);
    }
  }

  /** The exact rule, with one method overridden by a planted bug. */
  private abstract static class Delegating implements AcceptanceRule {
    @Override
    public Verdict verify(double[] p, double[] q, int x, RequestRandom random) {
      return EXACT.verify(p, q, x, random);
    }

    @Override
    public double[] output(double[] p, double[] q) {
      return EXACT.output(p, q);
    }

    @Override
    public Choice verifyCandidates(double[] p, int[] candidates, RequestRandom random) {
      return EXACT.verifyCandidates(p, candidates, random);
    }

    @Override
    public double[] outputOfCandidates(double[] p, int[] candidates) {
      return EXACT.outputOfCandidates(p, candidates);
    }

    @Override
    public Choice verifySampled(double[] p, int[] candidates, double[][] qs,
        RequestRandom random) {
      return EXACT.verifySampled(p, candidates, qs, random);
    }

    @Override
    public double[] outputOfSampled(double[] p, double[] q, int k) {
      return EXACT.outputOfSampled(p, q, k);
    }

    @Override
    public boolean greedyAccepts(double[] p, int x) {
      return EXACT.greedyAccepts(p, x);
    }
  }

  private record Run(double worstChiSquare, double acceptance, double draftedPerStep) {}

  private static Run decode(SamplingParams sp, StrategyParams params,
      SpeculativeDecoder.Fault fault, Function<DecodeJob, AcceptanceRule> rules) {
    return decode(sp, params, IMAGES, fault, rules);
  }

  private static Run decode(SamplingParams sp, StrategyParams params, int images,
      SpeculativeDecoder.Fault fault, Function<DecodeJob, AcceptanceRule> rules) {
    int v = PlantedModel.CONFIG.vocabSize();
    int n = PlantedModel.CONFIG.imageTokens();
    int[][] counts = new int[n][v];
    List<DecodeJob> jobs = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      jobs.add(new DecodeJob("j" + i, LABEL, 7919L * i + 1, sp, Strategy.SPECULATIVE, params));
    }
    long drafted = 0;
    long accepted = 0;
    long steps = 0;
    try (SpeculativeDecoder d = new SpeculativeDecoder(model.drafter, model.manager, images, rules,
        StrategyParams.MAX_DRAFT_LEN, fault)) {
      for (DecodeOutput o : d.decodeAll(jobs)) {
        for (int i = 0; i < n; i++) {
          counts[i][o.tokens()[i]]++;
        }
        drafted += o.metrics().draftedTokens();
        accepted += o.metrics().acceptedTokens();
        steps += o.metrics().targetForwards() - 1; // the first forward is the prefill
      }
    }
    double[][] exact = model.marginals(LABEL, sp);
    double worst = 0;
    for (int i = 1; i < n; i++) {
      worst = Math.max(worst, VerifierTest.chiSquare(counts[i], exact[i]));
    }
    return new Run(worst, accepted / (double) Math.max(1, drafted),
        drafted / (double) Math.max(1, steps));
  }
}
