package dev.tessera.eval;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method: rotations zero the
 * off-diagonal entries one pair at a time until their sum of squares is negligible. O(n³) per sweep,
 * a handful of sweeps; meant for n up to a few hundred.
 *
 * @param values {@code [n]} eigenvalues, in no particular order
 * @param vectors {@code [n][n]}, column {@code j} is the unit eigenvector of {@code values[j]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

  private static final int MAX_SWEEPS = 100;

  /** Decomposes {@code a} (not modified); only its symmetry is assumed, not checked beyond the shape. */
  public static SymmetricEigen of(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length + " of " + n);
      }
      m[i] = a[i].clone();
    }
    double[][] v = identity(n);
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      double total = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          total += m[i][j] * m[i][j];
          if (i != j) {
            off += m[i][j] * m[i][j];
          }
        }
      }
      if (off <= 1e-22 * total || off == 0) {
        break;
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (m[p][q] != 0) {
            rotate(m, v, p, q);
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = m[i][i];
    }
    return new SymmetricEigen(values, v);
  }

  /** Zeroes m[p][q] with the rotation that diagonalises the 2×2 block (p, q); accumulates it into v. */
  private static void rotate(double[][] m, double[][] v, int p, int q) {
    int n = m.length;
    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    for (int k = 0; k < n; k++) { // columns p, q of m
      double mkp = m[k][p];
      double mkq = m[k][q];
      m[k][p] = c * mkp - s * mkq;
      m[k][q] = s * mkp + c * mkq;
    }
    for (int k = 0; k < n; k++) { // rows p, q of m
      double mpk = m[p][k];
      double mqk = m[q][k];
      m[p][k] = c * mpk - s * mqk;
      m[q][k] = s * mpk + c * mqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  /**
   * The principal square root of a symmetric positive semi-definite matrix, V·diag(√λ)·Vᵀ; eigenvalues
   * that rounding made slightly negative are clamped to zero.
   */
  public static double[][] sqrtPsd(double[][] a) {
    SymmetricEigen e = of(a);
    int n = a.length;
    double[][] out = new double[n][n];
    for (int k = 0; k < n; k++) {
      double r = Math.sqrt(Math.max(0, e.values[k]));
      for (int i = 0; i < n; i++) {
        double vik = e.vectors[i][k] * r;
        for (int j = 0; j < n; j++) {
          out[i][j] += vik * e.vectors[j][k];
        }
      }
    }
    return out;
  }

  private static double[][] identity(int n) {
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    return v;
  }
}
