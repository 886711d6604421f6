package dev.tessera.decoding;

import dev.tessera.sampling.RequestRandom;

/**
 * LANTERN's relaxation with a bound that holds on the output (algorithms.md §2.12). Each token y gets
 * an allowance ε(y) ≥ 0, never more than its absorbable neighbour mass s(y) (the paper's prefix sum);
 * a draft y is accepted with probability min(1, (p(y) + ε(y))/q(y)), and a rejection draws from
 * r* = normalise(max(0, p − a)) with a(y) = min(q(y), p(y) + ε(y)). The output at the position is then
 * out = a + R·r*, and:
 *
 * <ul>
 *   <li>δ ≤ 1: the allowances c(y) = min(s(y), max(0, q(y) − p(y))) are scaled by one factor
 *       min(1, δ / Σc), so TV(out, p) = min(δ, Σc) ≤ δ exactly, with the most acceptance any rule
 *       with this bound can buy. Tree siblings (one-hot drafts tried in turn) spend one budget across
 *       rounds: round j, reached with probability w_j, may spend at most what is left over w_j.
 *   <li>λ > 1: ε(y) ≤ (λ − 1)·p(y), so out(y) ≤ λ·p(y) for every y (the bound LANTERN++ states).
 *   <li>δ = 0: exact speculative sampling, the output is p.
 * </ul>
 *
 * Computing the allowances costs O(V·k) per verified position.
 */
public final class BoundedLanternRule implements AcceptanceRule {

  private final Neighbourhood nb;

  public BoundedLanternRule(int[][] neighbours, int k, double delta) {
    this.nb = new Neighbourhood(neighbours, k, delta);
  }

  /** The exact rule: no allowance anywhere. */
  static BoundedLanternRule exact() {
    return new BoundedLanternRule(new int[0][], 0, 0);
  }

  /** ε(y) for a chain draft drawn from q. */
  double[] allowances(double[] p, double[] q) {
    return allowances(p, q, nb.delta());
  }

  /** ε(y) for a draft drawn from q, spending at most {@code budget} of TV (λ: no budget). */
  private double[] allowances(double[] p, double[] q, double budget) {
    double[] eps = new double[p.length];
    if (nb.delta() == 0 || (!nb.ratio() && budget <= 0)) {
      return eps;
    }
    double total = 0;
    for (int y = 0; y < p.length; y++) {
      if (q[y] > p[y]) {
        eps[y] = Math.min(nb.absorbedMass(p, y), q[y] - p[y]);
        total += eps[y];
      }
    }
    if (!nb.ratio() && total > budget) {
      double scale = budget / total;
      for (int y = 0; y < eps.length; y++) {
        eps[y] *= scale;
      }
    }
    return eps;
  }

  /** a(y) = min(q(y), p(y) + ε(y)): the accepted mass on each token. */
  private static double[] acceptedMass(double[] p, double[] q, double[] eps) {
    double[] a = new double[p.length];
    for (int y = 0; y < p.length; y++) {
      a[y] = Math.min(q[y], p[y] + eps[y]);
    }
    return a;
  }

  /** r* = normalise(max(0, p − a)); p itself if nothing is left. */
  private static double[] residual(double[] p, double[] a) {
    double[] r = new double[p.length];
    double sum = 0;
    for (int y = 0; y < p.length; y++) {
      r[y] = Math.max(0, p[y] - a[y]);
      sum += r[y];
    }
    if (sum <= 0) {
      return p.clone();
    }
    for (int y = 0; y < r.length; y++) {
      r[y] /= sum;
    }
    return r;
  }

  @Override
  public Verdict verify(double[] p, double[] q, int x, RequestRandom random) {
    double[] eps = allowances(p, q);
    double ratio = q[x] <= 0 ? 1.0 : (p[x] + eps[x]) / q[x];
    if (random.nextUniform() < ratio) {
      return new Verdict(true, x);
    }
    return new Verdict(false, random.sample(residual(p, acceptedMass(p, q, eps))));
  }

  @Override
  public double[] output(double[] p, double[] q) {
    return outputOfSampled(p, q, 1); // a chain draft is a static tree node with one child
  }

  @Override
  public Choice verifyCandidates(double[] p, int[] candidates, RequestRandom random) {
    double[] current = p.clone();
    double budget = nb.delta();
    double reach = 1;
    for (int j = 0; j < candidates.length; j++) {
      int x = candidates[j];
      double eps = allowance(current, x, budget, reach);
      double accept = Math.min(1, current[x] + eps);
      if (random.nextUniform() < accept) {
        return new Choice(j, x);
      }
      budget -= reach * eps;
      reach *= 1 - accept;
      removeAndNormalise(current, x);
    }
    return new Choice(-1, random.sample(current));
  }

  @Override
  public double[] outputOfCandidates(double[] p, int[] candidates) {
    double[] current = p.clone();
    double[] out = new double[p.length];
    double budget = nb.delta();
    double reach = 1;
    for (int x : candidates) {
      double eps = allowance(current, x, budget, reach);
      double accept = Math.min(1, current[x] + eps);
      out[x] += reach * accept;
      budget -= reach * eps;
      reach *= 1 - accept;
      removeAndNormalise(current, x);
    }
    for (int y = 0; y < out.length; y++) {
      out[y] += reach * current[y];
    }
    return out;
  }

  /**
   * Round j verifies candidate j, drawn from q_j, against the residual p_j with the allowances the
   * budget left allows; a rejection moves on to p_{j+1} = normalise(max(0, p_j − a_j)) with the
   * budget (b_j − spent_j) / R_j, R_j the round's rejection probability. The output is then within
   * b_1 = δ of p: round j adds spent_j, and the rounds after it at most R_j·b_{j+1} (algorithms.md
   * §2.12, rounds). With λ every round keeps ε ≤ (λ − 1)·p_j, so out(y) ≤ λ·p(y).
   */
  @Override
  public Choice verifySampled(double[] p, int[] candidates, double[][] qs, RequestRandom random) {
    double[] current = p;
    double budget = nb.delta();
    for (int j = 0; j < candidates.length; j++) {
      double[] q = qs[j];
      double[] a = acceptedMass(current, q, allowances(current, q, budget));
      int x = candidates[j];
      if (random.nextUniform() < (q[x] <= 0 ? 1.0 : a[x] / q[x])) {
        return new Choice(j, x);
      }
      budget = nextBudget(current, a, budget);
      current = residual(current, a);
    }
    return new Choice(-1, random.sample(current));
  }

  @Override
  public double[] outputOfSampled(double[] p, double[] q, int k) {
    return outputOfSampled(p, q.clone(), k, nb.delta());
  }

  /** {@code remaining}: the drafter's mass on the tokens not drawn yet (unnormalised). */
  private double[] outputOfSampled(double[] current, double[] remaining, int k, double budget) {
    double[] q = k == 0 ? null : normalisedCopy(remaining);
    if (q == null) {
      return current.clone();
    }
    double[] a = acceptedMass(current, q, allowances(current, q, budget));
    double[] next = residual(current, a);
    double nextBudget = nextBudget(current, a, budget);
    double[] out = a.clone();
    for (int x = 0; x < q.length; x++) {
      double rejected = q[x] - a[x]; // x drawn and rejected
      if (rejected <= 0) {
        continue;
      }
      double[] without = remaining.clone();
      without[x] = 0;
      double[] after = outputOfSampled(next, without, k - 1, nextBudget);
      for (int y = 0; y < out.length; y++) {
        out[y] += rejected * after[y];
      }
    }
    return out;
  }

  /** What a rejected round leaves to the rounds after it: (b − spent) / R. */
  private static double nextBudget(double[] p, double[] a, double budget) {
    double spent = 0;
    double rejected = 1;
    for (int y = 0; y < p.length; y++) {
      spent += Math.max(0, a[y] - p[y]);
      rejected -= a[y];
    }
    return rejected <= 1e-12 ? 0 : Math.max(0, (budget - spent) / rejected);
  }

  /** ε for a one-hot draft x against the current residual, reached with probability {@code reach}. */
  private double allowance(double[] current, int x, double budgetLeft, double reach) {
    if (nb.delta() == 0 || reach <= 0) {
      return 0;
    }
    double eps = Math.min(nb.absorbedMass(current, x), 1 - current[x]);
    return nb.ratio() ? eps : Math.max(0, Math.min(eps, budgetLeft / reach));
  }

  /** The exact residual of a one-hot draft x: x removed, renormalised. */
  static void removeAndNormalise(double[] current, int x) {
    current[x] = 0;
    normalise(current);
  }

  /** {@code d} scaled to sum 1, as a new array; null when it holds no mass. */
  static double[] normalisedCopy(double[] d) {
    double sum = 0;
    for (double v : d) {
      sum += v;
    }
    if (sum <= 0) {
      return null;
    }
    double[] out = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] / sum;
    }
    return out;
  }

  static void normalise(double[] d) {
    double sum = 0;
    for (double v : d) {
      sum += v;
    }
    if (sum <= 0) {
      java.util.Arrays.fill(d, 1.0 / d.length);
      return;
    }
    for (int i = 0; i < d.length; i++) {
      d[i] /= sum;
    }
  }

  @Override
  public boolean greedyAccepts(double[] p, int x) {
    double boosted = p[x] + nb.absorbedMass(p, x);
    for (int y = 0; y < p.length; y++) {
      if (y != x && (y < x ? p[y] >= boosted : p[y] > boosted)) {
        return false; // the first index wins ties, as the target's argmax does
      }
    }
    return true;
  }
}
