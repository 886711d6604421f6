package dev.tessera.decoding;

/**
 * LANTERN's relaxed acceptance (algorithms.md §2.3): with x's neighbours nb[1..k] in ascending latent
 * distance and prefix sums s_j of their target mass, absorb the longest prefix A = nb[1..m] whose mass
 * fits the budget (δ for δ ≤ 1; LANTERN++'s (λ − 1)·p(x) for a value λ > 1) and move it onto x:
 * p̃(x) = p(x) + s_m, p̃(A) = 0, elsewhere p̃ = p. TV(p, p̃) = s_m ≤ δ.
 */
public final class LanternRule implements AcceptanceRule {

  private final int[][] neighbours; // [V][kmax], ascending L2 distance between codebook rows
  private final int k;
  private final double delta;

  /**
   * @param neighbours the model's neighbour table
   * @param k neighbourhood size (at most the table's width)
   * @param delta TV budget δ in [0, 1], or λ > 1 for LANTERN++
   */
  public LanternRule(int[][] neighbours, int k, double delta) {
    if (k < 0 || (neighbours.length > 0 && k > neighbours[0].length)) {
      throw new IllegalArgumentException("lantern_k " + k + " exceeds the neighbour table's "
          + (neighbours.length == 0 ? 0 : neighbours[0].length));
    }
    if (delta < 0) {
      throw new IllegalArgumentException("lantern_delta must be >= 0");
    }
    this.neighbours = neighbours;
    this.k = k;
    this.delta = delta;
  }

  @Override
  public double[] relax(double[] p, int x) {
    double budget = delta <= 1 ? delta : (delta - 1) * p[x];
    int[] nb = neighbours[x];
    double absorbed = 0;
    int m = 0;
    while (m < k && absorbed + p[nb[m]] <= budget) {
      absorbed += p[nb[m]];
      m++;
    }
    double[] relaxed = p.clone();
    for (int j = 0; j < m; j++) {
      relaxed[nb[j]] = 0;
    }
    relaxed[x] += absorbed;
    return relaxed;
  }
}
