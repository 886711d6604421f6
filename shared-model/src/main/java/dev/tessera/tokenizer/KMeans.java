package dev.tessera.tokenizer;

import java.util.SplittableRandom;

/**
 * Plain-Java k-means for small vectors: k-means++ initialisation then Lloyd iterations, single
 * threaded and seeded, so the same points and seed give bit-identical centroids.
 */
final class KMeans {

  private KMeans() {}

  /**
   * Fits {@code k} centroids.
   *
   * @param points {@code [n * dim]} point-major
   * @param log receives one line per iteration (may be a no-op)
   * @return {@code [k][dim]} centroids
   */
  static float[][] fit(float[] points, int dim, int k, int maxIterations, long seed,
      java.util.function.Consumer<String> log) {
    int n = points.length / dim;
    if (n < k) {
      throw new IllegalArgumentException("k-means needs at least k=" + k + " points, got " + n);
    }
    float[] c = plusPlus(points, dim, k, new SplittableRandom(seed));
    int[] assign = new int[n];
    java.util.Arrays.fill(assign, -1);
    float[] dist = new float[n];
    for (int it = 1; it <= maxIterations; it++) {
      // Assignment step: nearest centroid, lowest index on ties.
      int changed = 0;
      double inertia = 0;
      float[] norms = norms(c, dim, k);
      for (int i = 0; i < n; i++) {
        int best = Nearest.index(points, i * dim, c, norms, dim, k);
        if (best != assign[i]) {
          assign[i] = best;
          changed++;
        }
        dist[i] = sq(points, i * dim, c, best * dim, dim);
        inertia += dist[i];
      }
      log.accept(String.format("k-means iter %d: mse %.6f, %d reassigned", it, inertia / n / dim, changed));
      if (changed == 0) {
        break;
      }
      // Update step: centroid = mean of its points (double accumulators).
      double[] sum = new double[k * dim];
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        count[assign[i]]++;
        for (int j = 0; j < dim; j++) {
          sum[assign[i] * dim + j] += points[i * dim + j];
        }
      }
      for (int q = 0; q < k; q++) {
        if (count[q] == 0) {
          // Empty cluster: move it onto the point that is worst served now.
          int far = argmax(dist);
          System.arraycopy(points, far * dim, c, q * dim, dim);
          dist[far] = 0;
          continue;
        }
        for (int j = 0; j < dim; j++) {
          c[q * dim + j] = (float) (sum[q * dim + j] / count[q]);
        }
      }
    }
    float[][] out = new float[k][dim];
    for (int q = 0; q < k; q++) {
      System.arraycopy(c, q * dim, out[q], 0, dim);
    }
    return out;
  }

  /** k-means++ (Arthur & Vassilvitskii 2007): each next centre drawn with probability ∝ D(x)². */
  private static float[] plusPlus(float[] points, int dim, int k, SplittableRandom rnd) {
    int n = points.length / dim;
    float[] c = new float[k * dim];
    int first = rnd.nextInt(n);
    System.arraycopy(points, first * dim, c, 0, dim);
    double[] d2 = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      d2[i] = sq(points, i * dim, c, 0, dim);
      total += d2[i];
    }
    for (int q = 1; q < k; q++) {
      int pick;
      if (total <= 0) {
        pick = rnd.nextInt(n); // all points already coincide with a centre
      } else {
        double r = rnd.nextDouble() * total;
        pick = n - 1;
        for (int i = 0; i < n; i++) {
          r -= d2[i];
          if (r < 0) {
            pick = i;
            break;
          }
        }
      }
      System.arraycopy(points, pick * dim, c, q * dim, dim);
      total = 0;
      for (int i = 0; i < n; i++) {
        d2[i] = Math.min(d2[i], sq(points, i * dim, c, q * dim, dim));
        total += d2[i];
      }
    }
    return c;
  }

  static float[] norms(float[] c, int dim, int k) {
    float[] norms = new float[k];
    for (int q = 0; q < k; q++) {
      float s = 0;
      for (int j = 0; j < dim; j++) {
        s += c[q * dim + j] * c[q * dim + j];
      }
      norms[q] = s;
    }
    return norms;
  }

  static float sq(float[] a, int ao, float[] b, int bo, int dim) {
    float s = 0;
    for (int j = 0; j < dim; j++) {
      float d = a[ao + j] - b[bo + j];
      s += d * d;
    }
    return s;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
