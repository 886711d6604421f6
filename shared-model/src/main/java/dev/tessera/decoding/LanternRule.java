package dev.tessera.decoding;

import dev.tessera.sampling.RequestRandom;

/**
 * LANTERN's relaxed acceptance as published (algorithms.md §2.3), the {@code paper} rule: with x's
 * neighbours nb[1..k] in ascending latent distance and prefix sums s_j of their target mass, absorb
 * the longest prefix A = nb[1..m] whose mass fits the budget (δ for δ ≤ 1; LANTERN++'s (λ − 1)·p(x)
 * for a value λ > 1) and move it onto x: p̃ₓ(x) = p(x) + s_m, p̃ₓ(A) = 0, elsewhere p̃ₓ = p, so
 * TV(p, p̃ₓ) = s_m ≤ δ for each draft x <em>separately</em>.
 *
 * <p>What the output obeys: with a draft sampled from q (a chain) every possible x brings its own
 * boost and the boosts add up, so the output's TV to p can exceed δ several times over
 * (algorithms.md §2.12; {@link #output} computes it exactly, in O(V·(V + k))). With one-hot drafts (a
 * tree) one candidate is exact to δ; siblings tried in turn add their boosts too. A rejection draws
 * from norm(max(p̃ₓ − q, 0)) for a chain and from p with x and A removed for a dynamic tree's
 * candidate (the theory's residual; the released code removes all k + 1 nearest neighbours); a static
 * tree's sampled siblings are verified like chain drafts, each against the distribution it was drawn
 * from, the next one against the residual the last left.
 */
public final class LanternRule implements AcceptanceRule {

  private final Neighbourhood nb;

  /**
   * @param neighbours the model's neighbour table
   * @param k neighbourhood size (at most the table's width)
   * @param delta TV budget δ in [0, 1], or λ > 1 for LANTERN++
   */
  public LanternRule(int[][] neighbours, int k, double delta) {
    this.nb = new Neighbourhood(neighbours, k, delta);
  }

  /** p̃ₓ: A's mass moved onto x (a new array; p is not modified). */
  public double[] relax(double[] p, int x) {
    int m = nb.absorbedCount(p, x);
    double[] relaxed = p.clone();
    double absorbed = 0;
    for (int j = 0; j < m; j++) {
      int y = nb.neighbour(x, j);
      absorbed += relaxed[y];
      relaxed[y] = 0;
    }
    relaxed[x] += absorbed;
    return relaxed;
  }

  @Override
  public Verdict verify(double[] p, double[] q, int x, RequestRandom random) {
    double[] relaxed = relax(p, x);
    double ratio = q[x] <= 0 ? 1.0 : relaxed[x] / q[x];
    if (random.nextUniform() < ratio) {
      return new Verdict(true, x);
    }
    return new Verdict(false, random.sample(Verifier.residual(relaxed, q)));
  }

  @Override
  public double[] output(double[] p, double[] q) {
    return outputOfDraws(p, q.clone(), 1); // a chain draft is a static tree node with one child
  }

  @Override
  public Choice verifyCandidates(double[] p, int[] candidates, RequestRandom random) {
    double[] current = p.clone();
    for (int j = 0; j < candidates.length; j++) {
      int x = candidates[j];
      double[] relaxed = relax(current, x);
      if (random.nextUniform() < Math.min(1, relaxed[x])) {
        return new Choice(j, x);
      }
      relaxed[x] = 0; // x and A removed
      BoundedLanternRule.normalise(relaxed);
      current = relaxed;
    }
    return new Choice(-1, random.sample(current));
  }

  @Override
  public double[] outputOfCandidates(double[] p, int[] candidates) {
    double[] current = p.clone();
    double[] out = new double[p.length];
    double reach = 1;
    for (int x : candidates) {
      double[] relaxed = relax(current, x);
      double accept = Math.min(1, relaxed[x]);
      out[x] += reach * accept;
      reach *= 1 - accept;
      relaxed[x] = 0;
      BoundedLanternRule.normalise(relaxed);
      current = relaxed;
    }
    for (int y = 0; y < out.length; y++) {
      out[y] += reach * current[y];
    }
    return out;
  }

  /**
   * LANTERN++'s static tree as released: candidate j, drawn from q_j, is accepted with probability
   * min(1, p̃ₓ(x)/q_j(x)) against the current p; a rejection moves on to norm(max(p̃ₓ − q_j, 0)).
   */
  @Override
  public Choice verifySampled(double[] p, int[] candidates, double[][] qs, RequestRandom random) {
    double[] current = p;
    for (int j = 0; j < candidates.length; j++) {
      int x = candidates[j];
      double[] relaxed = relax(current, x);
      double ratio = qs[j][x] <= 0 ? 1.0 : relaxed[x] / qs[j][x];
      if (random.nextUniform() < ratio) {
        return new Choice(j, x);
      }
      current = Verifier.residual(relaxed, qs[j]);
    }
    return new Choice(-1, random.sample(current));
  }

  @Override
  public double[] outputOfSampled(double[] p, double[] q, int k) {
    return outputOfDraws(p, q.clone(), k);
  }

  /** {@code remaining}: the drafter's mass on the tokens not drawn yet (unnormalised). */
  private double[] outputOfDraws(double[] current, double[] remaining, int k) {
    double[] q = k == 0 ? null : BoundedLanternRule.normalisedCopy(remaining);
    if (q == null) {
      return current.clone();
    }
    double[] out = new double[current.length];
    for (int x = 0; x < q.length; x++) {
      if (q[x] <= 0) {
        continue;
      }
      double[] relaxed = relax(current, x);
      double accept = Math.min(1, relaxed[x] / q[x]);
      out[x] += q[x] * accept;
      if (accept < 1) {
        double[] without = remaining.clone();
        without[x] = 0;
        double[] after = outputOfDraws(Verifier.residual(relaxed, q), without, k - 1);
        for (int y = 0; y < out.length; y++) {
          out[y] += q[x] * (1 - accept) * after[y];
        }
      }
    }
    return out;
  }

  /** §2.4: x's probability plus A's mass (neighbours not zeroed) must reach every other token's. */
  @Override
  public boolean greedyAccepts(double[] p, int x) {
    double boosted = p[x] + nb.absorbedMass(p, x);
    for (int y = 0; y < p.length; y++) {
      if (y != x && (y < x ? p[y] >= boosted : p[y] > boosted)) {
        return false;
      }
    }
    return true;
  }
}
