package dev.tessera.model;

/**
 * How an image's tokens (raster order) are laid out as a model sequence: raster order for LlamaGen,
 * or PAR order (group j = local index j of every region) with n−1 transition tokens after the first
 * group. Gives what training feeds (embed ids, RoPE rows, mask limits) and what it predicts.
 */
public final class SequenceLayout {

  private final GptConfig config;
  private final int[] order; // sequence index q -> raster index (identity for raster models)
  private final int[] inverse; // raster index -> sequence index

  public SequenceLayout(GptConfig config) {
    this.config = config;
    int n = config.parallelTokens();
    int side = config.gridSide();
    int total = config.imageTokens();
    this.order = new int[total];
    this.inverse = new int[total];
    int m = (int) Math.round(Math.sqrt(n));
    int s = side / m; // region side
    for (int q = 0; q < total; q++) {
      int raster;
      if (n == 1) {
        raster = q;
      } else {
        int j = q / n; // local index within the region
        int r = q % n; // region, raster order over the M×M regions
        int row = (r / m) * s + j / s;
        int col = (r % m) * s + j % s;
        raster = row * side + col;
      }
      order[q] = raster;
      inverse[raster] = q;
    }
  }

  /** Raster index of the token at sequence index q. */
  public int rasterIndex(int q) {
    return order[q];
  }

  /** Sequence index of raster cell g. */
  public int sequenceIndex(int g) {
    return inverse[g];
  }

  /** Raster-order tokens → sequence-order tokens. */
  public int[] toSequenceOrder(int[] raster) {
    int[] out = new int[raster.length];
    for (int q = 0; q < out.length; q++) {
      out[q] = raster[order[q]];
    }
    return out;
  }

  /** Sequence-order tokens → raster order (before VQ decoding). */
  public int[] toRasterOrder(int[] sequence) {
    int[] out = new int[sequence.length];
    for (int q = 0; q < out.length; q++) {
      out[order[q]] = sequence[q];
    }
    return out;
  }

  /**
   * Inputs for a teacher-forced forward: embed ids and RoPE rows for the {@link
   * GptConfig#sequenceLength()} fed positions. Output position p predicts sequence token p.
   *
   * @param sequenceTokens the image's tokens in sequence order
   * @param label class (or the null class)
   */
  public long[][] teacherForcedInputs(int[] sequenceTokens, int label) {
    int len = config.sequenceLength();
    int n = config.parallelTokens();
    long[] ids = new long[len];
    long[] rope = new long[len];
    ids[0] = Gpt.classId(config, label);
    rope[0] = Rope2d.ZERO_ROW;
    int p = 1;
    for (int q = 0; q < len - 1 && p < len; q++) {
      if (n > 1 && q == n) {
        for (int m = 0; m < n - 1; m++) {
          ids[p] = Gpt.transitionId(config, m);
          rope[p] = Rope2d.ZERO_ROW;
          p++;
        }
      }
      if (p < len) {
        ids[p] = sequenceTokens[q];
        rope[p] = Rope2d.gridRow(order[q]);
        p++;
      }
    }
    return new long[][] {ids, rope};
  }

  /** Mask limits of the fed sequence: causal, or PAR's group-bidirectional blocks. */
  public int[] maskLimits() {
    int len = config.sequenceLength();
    return config.parallelTokens() == 1
        ? AttentionMasks.causal(len) : AttentionMasks.parGroups(len, config.parallelTokens());
  }
}
