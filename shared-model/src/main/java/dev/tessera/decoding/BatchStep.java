package dev.tessera.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tessera.model.AttentionMasks;
import dev.tessera.model.Drafter;
import dev.tessera.model.Gpt;
import dev.tessera.model.KvCachePool;
import dev.tessera.model.PoolKv;

/**
 * The inputs of one batched forward over every leased pool row: each row feeds up to T tokens
 * starting at its own position; shorter feeds are padded (pads see only the class token, are written
 * past the row's length, and are overwritten before they become visible).
 */
final class BatchStep {

  private final int rows;
  private final int width;
  private final long[] ids; // [rows * T]
  private final long[] rope; // [rows * T]
  private final int[] start; // [rows]
  private final int[][] limit; // [rows][T]
  private final int[][][] extra; // [rows][T][] positions seen beyond the limit (tree ancestors)

  BatchStep(int rows, int width, long padId) {
    this.rows = rows;
    this.width = width;
    this.ids = new long[rows * width];
    this.rope = new long[rows * width];
    this.start = new int[rows];
    this.limit = new int[rows][width];
    this.extra = new int[rows][][];
    java.util.Arrays.fill(ids, padId);
  }

  /**
   * Feeds {@code ids.length} tokens to {@code row} at positions {@code start..}; {@code limits[i]} is
   * the last key position query i may see.
   */
  void feed(int row, int startPos, long[] feedIds, long[] feedRope, int[] limits) {
    start[row] = startPos;
    for (int i = 0; i < feedIds.length; i++) {
      ids[row * width + i] = feedIds[i];
      rope[row * width + i] = feedRope[i];
      limit[row][i] = limits[i];
    }
  }

  /**
   * As {@link #feed}, and query i also sees the positions {@code also[i]} beyond its limit (a draft
   * tree node: its ancestors' slots and its own).
   */
  void feedTree(int row, int startPos, long[] feedIds, long[] feedRope, int[] limits, int[][] also) {
    feed(row, startPos, feedIds, feedRope, limits);
    extra[row] = new int[width][];
    System.arraycopy(also, 0, extra[row], 0, also.length);
  }

  /** One causal token at {@code pos}. */
  void feedOne(int row, int pos, long id, long ropeRow) {
    feed(row, pos, new long[] {id}, new long[] {ropeRow}, new int[] {pos});
  }

  /** Runs the forward; returns logits [rows, T, V] flattened, and hidden states if asked. */
  Result run(Gpt gpt, KvCachePool pool, NDManager parent, boolean wantHidden) {
    try (NDManager scope = parent.newSubManager()) {
      PoolKv kv = new PoolKv(scope, pool, start, width);
      Gpt.Output out = gpt.forward(scope, scope.create(ids, new Shape(rows, width)),
          scope.create(rope, new Shape(rows, width)),
          AttentionMasks.fromVisibility(scope, limit, extra, kv.attendLength()), kv);
      NDArray hidden = out.hidden();
      return new Result(out.logits().toFloatArray(), wantHidden ? hidden.toFloatArray() : null,
          width, gpt.config().vocabSize(), gpt.config().dim());
    }
  }

  /**
   * Runs the drafter; {@code features} is [rows * T * D] (the target or drafted feature before each
   * fed token; pads may hold anything).
   */
  Result runDrafter(Drafter drafter, KvCachePool drafterPool, NDManager parent, float[] features) {
    int d = drafter.target().config().dim();
    try (NDManager scope = parent.newSubManager()) {
      PoolKv kv = new PoolKv(scope, drafterPool, start, width);
      Gpt.Output out = drafter.forward(scope, scope.create(ids, new Shape(rows, width)),
          scope.create(features, new Shape(rows, width, d)),
          scope.create(rope, new Shape(rows, width)),
          AttentionMasks.fromVisibility(scope, limit, extra, kv.attendLength()), kv);
      return new Result(out.logits().toFloatArray(), out.hidden().toFloatArray(), width,
          drafter.target().config().vocabSize(), d);
    }
  }

  /** Host copies of a step's outputs. */
  record Result(float[] logits, float[] hidden, int width, int vocab, int dim) {

    /** Logits of row r, query i. */
    float[] logits(int r, int i) {
      float[] out = new float[vocab];
      System.arraycopy(logits, (r * width + i) * vocab, out, 0, vocab);
      return out;
    }

    /** Final hidden state of row r, query i. */
    float[] hidden(int r, int i) {
      float[] out = new float[dim];
      System.arraycopy(hidden, (r * width + i) * dim, out, 0, dim);
      return out;
    }
  }
}
