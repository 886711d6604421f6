package dev.tessera.decoding;

/**
 * How the target's processed distribution p is relaxed before a draft x is verified. The exact rule
 * leaves p unchanged (speculative decoding); LANTERN moves the mass of x's nearest latent neighbours
 * onto x within a total-variation budget.
 */
public interface AcceptanceRule {

  /**
   * The distribution p̃ the draft x is verified against (a new array; p is not modified).
   *
   * @param p processed target distribution at the draft's position
   * @param x the drafted token
   */
  double[] relax(double[] p, int x);

  /** Speculative decoding's exact rule: p̃ = p. */
  AcceptanceRule EXACT = (p, x) -> p.clone();
}
