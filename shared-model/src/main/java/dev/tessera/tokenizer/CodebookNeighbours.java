package dev.tessera.tokenizer;

import java.util.PriorityQueue;

/**
 * LANTERN's latent neighbourhoods over any codebook: for each code, the other codes by ascending L2
 * distance between codebook rows (lower index first on ties), the nearest {@code kmax} kept with a
 * bounded heap, so a 16384-code book needs no full sort per row.
 */
public final class CodebookNeighbours {

  private CodebookNeighbours() {}

  /**
   * @param rows {@code [K * dim]} codebook rows, code-major
   * @return {@code [K][kmax]}
   */
  public static int[][] nearest(float[] rows, int dim, int kmax) {
    int k = rows.length / dim;
    if (kmax < 1 || kmax > k - 1) {
      throw new IllegalArgumentException("kmax must be in [1, " + (k - 1) + "], got " + kmax);
    }
    int[][] out = new int[k][kmax];
    for (int q = 0; q < k; q++) {
      double[] dist = new double[k];
      // farthest (then highest index) on top, so the top is the one to drop
      PriorityQueue<Integer> heap = new PriorityQueue<>(kmax + 1, (a, b) -> {
        int c = Double.compare(dist[b], dist[a]);
        return c != 0 ? c : Integer.compare(b, a);
      });
      for (int r = 0; r < k; r++) {
        if (r == q) {
          continue;
        }
        double s = 0;
        for (int d = 0; d < dim; d++) {
          double diff = rows[q * dim + d] - rows[r * dim + d];
          s += diff * diff;
        }
        dist[r] = s;
        heap.add(r);
        if (heap.size() > kmax) {
          heap.poll();
        }
      }
      for (int j = kmax - 1; j >= 0; j--) {
        out[q][j] = heap.poll();
      }
    }
    return out;
  }
}
