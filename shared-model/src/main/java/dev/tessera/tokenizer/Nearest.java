package dev.tessera.tokenizer;

/** Brute-force nearest-centroid search for 4-dim patch vectors. */
final class Nearest {

  private Nearest() {}

  /**
   * The index of the centroid nearest to {@code x[xo..xo+dim)}, lowest index on ties. Uses
   * ‖x−c‖² = ‖x‖² − 2x·c + ‖c‖² and drops the constant ‖x‖².
   *
   * @param c {@code [k * dim]} centroids
   * @param norms {@code [k]} ‖c‖²
   */
  static int index(float[] x, int xo, float[] c, float[] norms, int dim, int k) {
    int best = 0;
    float bestScore = Float.POSITIVE_INFINITY;
    if (dim == 4) {
      float x0 = x[xo], x1 = x[xo + 1], x2 = x[xo + 2], x3 = x[xo + 3];
      for (int q = 0, o = 0; q < k; q++, o += 4) {
        float s = norms[q] - 2f * (x0 * c[o] + x1 * c[o + 1] + x2 * c[o + 2] + x3 * c[o + 3]);
        if (s < bestScore) {
          bestScore = s;
          best = q;
        }
      }
      return best;
    }
    for (int q = 0; q < k; q++) {
      float dot = 0;
      for (int j = 0; j < dim; j++) {
        dot += x[xo + j] * c[q * dim + j];
      }
      float s = norms[q] - 2f * dot;
      if (s < bestScore) {
        bestScore = s;
        best = q;
      }
    }
    return best;
  }
}
