package dev.tessera.decoding;

/**
 * LANTERN's latent neighbourhood B_k (algorithms.md §2.2-2.3): x's k nearest codes in ascending
 * distance, and the longest proximity-ordered prefix A whose target mass fits a budget (δ for a value
 * ≤ 1, LANTERN++'s (λ − 1)·p(x) for a value λ > 1).
 */
final class Neighbourhood {

  private final int[][] neighbours; // [V][kmax], ascending L2 distance between codebook rows
  private final int k;
  private final double delta;

  Neighbourhood(int[][] neighbours, int k, double delta) {
    if (k < 0 || (neighbours.length > 0 && k > neighbours[0].length)) {
      throw new IllegalArgumentException("lantern_k " + k + " exceeds the neighbour table's "
          + (neighbours.length == 0 ? 0 : neighbours[0].length));
    }
    if (delta < 0) {
      throw new IllegalArgumentException("lantern_delta must be >= 0");
    }
    this.neighbours = neighbours;
    this.k = delta == 0 ? 0 : k;
    this.delta = delta;
  }

  /** Whether the value is LANTERN++'s λ (a multiplicative bound) rather than a TV budget δ. */
  boolean ratio() {
    return delta > 1;
  }

  double delta() {
    return delta;
  }

  /** Budget for draft x: δ, or (λ − 1)·p(x). */
  double budget(double[] p, int x) {
    return ratio() ? (delta - 1) * p[x] : delta;
  }

  /** m, the length of the absorbed prefix A = nb[1..m] of x under p. */
  int absorbedCount(double[] p, int x) {
    double budget = budget(p, x);
    int[] nb = k == 0 ? null : neighbours[x];
    double absorbed = 0;
    int m = 0;
    while (m < k && absorbed + p[nb[m]] <= budget) {
      absorbed += p[nb[m]];
      m++;
    }
    return m;
  }

  /** s_m, the mass of A: what the paper's rule moves onto x. */
  double absorbedMass(double[] p, int x) {
    int m = absorbedCount(p, x);
    double s = 0;
    for (int j = 0; j < m; j++) {
      s += p[neighbours[x][j]];
    }
    return s;
  }

  /** The j-th nearest neighbour of x. */
  int neighbour(int x, int j) {
    return neighbours[x][j];
  }
}
