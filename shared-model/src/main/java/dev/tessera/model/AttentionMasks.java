package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks built from "visibility limits": query (b, t) sees keys 0..limit[b][t].
 * Causal decoding uses limit = own position; PAR's group-bidirectional mask uses the end of the
 * query's group. A pad query gets limit 0 (it sees the class token only and its output is ignored).
 */
public final class AttentionMasks {

  /** Added to hidden scores; exp underflows to exactly 0 in fp32. */
  public static final float HIDDEN = -1e9f;

  private AttentionMasks() {}

  /**
   * [B, 1, T, S] from per-query limits, or null when every query sees every key (a causal step
   * of rows at one position, a PAR group step): adding an all-zero mask is an op per layer for
   * nothing.
   */
  public static NDArray fromLimits(NDManager scope, int[][] limit, int attendLength) {
    return fromVisibility(scope, limit, null, attendLength);
  }

  /**
   * As {@link #fromLimits}, and query (b, t) also sees the key positions {@code extra[b][t]} beyond
   * its limit (a draft tree: a node sees the committed prefix, then only its ancestors and itself).
   * {@code extra}, or any of its entries, may be null.
   */
  public static NDArray fromVisibility(NDManager scope, int[][] limit, int[][][] extra,
      int attendLength) {
    int b = limit.length;
    int t = limit[0].length;
    boolean allVisible = true;
    for (int r = 0; r < b && allVisible; r++) {
      for (int q = 0; q < t && allVisible; q++) {
        allVisible = limit[r][q] >= attendLength - 1;
      }
    }
    if (allVisible) {
      return null;
    }
    float[] m = new float[b * t * attendLength];
    for (int r = 0; r < b; r++) {
      for (int q = 0; q < t; q++) {
        int off = (r * t + q) * attendLength;
        int last = Math.max(0, limit[r][q]);
        for (int k = last + 1; k < attendLength; k++) {
          m[off + k] = HIDDEN;
        }
        int[] also = extra == null || extra[r] == null ? null : extra[r][q];
        if (also != null) {
          for (int k : also) {
            m[off + k] = 0;
          }
        }
      }
    }
    return scope.create(m, new Shape(b, 1, t, attendLength));
  }

  /** [1, 1, T, T] for a full sequence with per-position limits (training, reference forwards). */
  public static NDArray forSequence(NDManager scope, int[] limit) {
    return fromLimits(scope, new int[][] {limit}, limit.length);
  }

  /** Causal limits: position p sees 0..p. */
  public static int[] causal(int length) {
    int[] l = new int[length];
    for (int p = 0; p < length; p++) {
      l[p] = p;
    }
    return l;
  }

  /**
   * PAR's group-bidirectional limits for a sequence laid out as [class, g0 (n), transitions (n−1),
   * g1, g2, ...]: positions 0..n−1 are causal; mask block i ≥ 0 covers positions [n + i·n, n + i·n + n)
   * and sees everything before its end.
   */
  public static int[] parGroups(int length, int n) {
    int[] l = new int[length];
    for (int p = 0; p < length; p++) {
      l[p] = p < n ? p : n + ((p - n) / n) * n + n - 1;
    }
    return l;
  }
}
