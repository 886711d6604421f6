package dev.tessera.eval;

/**
 * Fréchet distance between two Gaussians fitted to feature sets (the FID formula, here on
 * {@code fm-classifier} features): ‖μ₁−μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2·Tr((Σ₁^½ Σ₂ Σ₁^½)^½).
 * The last trace is Σ√λ over the eigenvalues λ of the symmetric PSD matrix Σ₁^½ Σ₂ Σ₁^½ (equal to
 * Tr((Σ₁Σ₂)^½)), computed with {@link SymmetricEigen}.
 */
public final class FrechetDistance {

  private FrechetDistance() {}

  /** The distance between two feature sets ({@code [n][d]} each). */
  public static double between(float[][] a, float[][] b) {
    return between(FeatureStats.of(a), FeatureStats.of(b));
  }

  /** The distance between two fitted Gaussians of equal dimension. */
  public static double between(FeatureStats a, FeatureStats b) {
    int d = a.dim();
    if (b.dim() != d) {
      throw new IllegalArgumentException("feature dims differ: " + d + " vs " + b.dim());
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mean()[i] - b.mean()[i];
      meanTerm += diff * diff;
    }
    double[][] s1 = SymmetricEigen.sqrtPsd(a.covariance()); // Σ₁^½
    double[][] m = multiply(multiply(s1, b.covariance()), s1); // Σ₁^½ Σ₂ Σ₁^½
    symmetrise(m);
    double traceSqrt = 0;
    for (double lambda : SymmetricEigen.of(m).values()) {
      traceSqrt += Math.sqrt(Math.max(0, lambda));
    }
    double fd = meanTerm + trace(a.covariance()) + trace(b.covariance()) - 2 * traceSqrt;
    return Math.max(0, fd);
  }

  static double trace(double[][] m) {
    double t = 0;
    for (int i = 0; i < m.length; i++) {
      t += m[i][i];
    }
    return t;
  }

  static double[][] multiply(double[][] x, double[][] y) {
    int n = x.length;
    int k = y.length;
    int p = y[0].length;
    double[][] out = new double[n][p];
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < k; l++) {
        double xil = x[i][l];
        for (int j = 0; j < p; j++) {
          out[i][j] += xil * y[l][j];
        }
      }
    }
    return out;
  }

  private static void symmetrise(double[][] m) {
    for (int i = 0; i < m.length; i++) {
      for (int j = i + 1; j < m.length; j++) {
        double avg = (m[i][j] + m[j][i]) / 2;
        m[i][j] = avg;
        m[j][i] = avg;
      }
    }
  }
}
