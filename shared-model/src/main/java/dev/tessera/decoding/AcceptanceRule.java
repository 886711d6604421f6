package dev.tessera.decoding;

import dev.tessera.sampling.RequestRandom;

/**
 * How a drafted token is verified against the target at one position. Each rule can also say exactly
 * what distribution its output token has there ({@link #output}, {@link #outputOfCandidates}), so a
 * guarantee is checked on the output, not on an intermediate quantity.
 *
 * <p>Three drafting forms: a chain samples its draft x from the drafter's distribution q
 * ({@link #verify}); EAGLE-2's dynamic tree proposes the drafter's top children, deterministic, tried
 * in turn ({@link #verifyCandidates}, multi-draft recursive rejection sampling with one-hot drafts);
 * LANTERN++'s static tree samples its children without replacement ({@link #verifySampled}).
 */
public interface AcceptanceRule {

  /** A chain draft's outcome: accepted, or rejected with the token drawn from the residual. */
  record Verdict(boolean accepted, int token) {}

  /** A tree node's outcome: the index of the accepted candidate (or −1) and the emitted token. */
  record Choice(int accepted, int token) {}

  /**
   * Verifies a draft x that was sampled from q.
   *
   * @param p the target's processed distribution at the draft's position
   * @param q the drafter's processed distribution the draft was drawn from
   */
  Verdict verify(double[] p, double[] q, int x, RequestRandom random);

  /** The exact distribution of the token {@link #verify} emits when x ~ q. */
  double[] output(double[] p, double[] q);

  /** Tries deterministic candidates in order (tree siblings); emits one token. */
  Choice verifyCandidates(double[] p, int[] candidates, RequestRandom random);

  /** The exact distribution of the token {@link #verifyCandidates} emits. */
  double[] outputOfCandidates(double[] p, int[] candidates);

  /**
   * Tries candidates drawn in turn from the drafter without replacement (LANTERN++'s static tree):
   * candidate j was drawn from {@code qs[j]}, the drafter's distribution with the earlier candidates
   * removed and renormalised. Recursive rejection sampling: candidate j is verified against the
   * residual left by the earlier ones; emits one token.
   */
  Choice verifySampled(double[] p, int[] candidates, double[][] qs, RequestRandom random);

  /**
   * The exact distribution of the token {@link #verifySampled} emits when its k candidates are drawn
   * from q without replacement; enumerates every ordered draw, O(V^(k+1)) (for tests).
   */
  double[] outputOfSampled(double[] p, double[] q, int k);

  /**
   * Greedy mode (temperature 0): whether draft x is emitted where the target's argmax would be.
   *
   * @param p softmax of the target's CFG-combined logits (no temperature, no filters)
   */
  boolean greedyAccepts(double[] p, int x);

  /** Speculative decoding's exact rule: the output is distributed as p. */
  AcceptanceRule EXACT = BoundedLanternRule.exact();
}
