package dev.tessera.model;

/**
 * LlamaGen's interleaved 2D RoPE, as cos/sin tables indexed by a "rope index": row 0 is the zero row
 * (cos = sin = 0) used by the class token and PAR's transition tokens, row 1 + g is raster grid cell g.
 * Pair m of a head vector is (x[2m], x[2m+1]); its first hd/4 pairs rotate by the row, the rest by
 * the column.
 */
public final class Rope2d {

  private Rope2d() {}

  /** Rope index of a prefix or transition token: q and k are multiplied by zero. */
  public static final int ZERO_ROW = 0;

  /** Rope index of raster grid cell {@code g}. */
  public static int gridRow(int g) {
    return 1 + g;
  }

  /**
   * cos and sin tables, each [1 + side², headDim], values repeated for both members of a pair so that
   * {@code rope(x) = x * cos + swap(x) * sin} with {@code swap(x)[2m] = -x[2m+1], swap(x)[2m+1] = x[2m]}.
   */
  public static float[][] tables(int side, int headDim, double base) {
    int half = headDim / 2;
    int quarter = half / 2;
    int rows = 1 + side * side;
    float[] cos = new float[rows * headDim];
    float[] sin = new float[rows * headDim];
    double[] freqs = new double[quarter];
    for (int m = 0; m < quarter; m++) {
      freqs[m] = Math.pow(base, -(2.0 * m) / half);
    }
    for (int g = 0; g < side * side; g++) {
      int r = g / side;
      int c = g % side;
      int off = gridRow(g) * headDim;
      for (int m = 0; m < half; m++) {
        double angle = m < quarter ? r * freqs[m] : c * freqs[m - quarter];
        float co = (float) Math.cos(angle);
        float si = (float) Math.sin(angle);
        cos[off + 2 * m] = co;
        cos[off + 2 * m + 1] = co;
        sin[off + 2 * m] = si;
        sin[off + 2 * m + 1] = si;
      }
    }
    return new float[][] {cos, sin};
  }

  /**
   * The [headDim, headDim] matrix R with {@code x · R = swap(x)}: column 2m takes −x[2m+1], column
   * 2m+1 takes x[2m].
   */
  public static float[] swapMatrix(int headDim) {
    float[] r = new float[headDim * headDim];
    for (int m = 0; m < headDim / 2; m++) {
      r[(2 * m + 1) * headDim + 2 * m] = -1f;
      r[(2 * m) * headDim + 2 * m + 1] = 1f;
    }
    return r;
  }
}
