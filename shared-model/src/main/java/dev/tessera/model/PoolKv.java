package dev.tessera.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * KV access for one batched step over pool rows [0, B): row r writes its T new entries at positions
 * {@code start[r] .. start[r]+T-1} and attends over positions [0, S). When every row starts at the
 * same position the write is one slice assignment per tensor; otherwise one indexed assignment.
 */
public final class PoolKv implements KvAccess {

  private final NDManager scope;
  private final KvCachePool pool;
  private final int rows;
  private final int newTokens;
  private final int attendLength;
  private final int commonStart; // -1 when rows start at different positions
  private final NDArray rowIndex; // [B*T] int64, or null
  private final NDArray posIndex; // [B*T] int64, or null

  /**
   * @param start per-row first write position (length B)
   * @param newTokens T, tokens fed per row
   */
  public PoolKv(NDManager scope, KvCachePool pool, int[] start, int newTokens) {
    this.scope = scope;
    this.pool = pool;
    this.rows = start.length;
    this.newTokens = newTokens;
    int max = 0;
    boolean same = true;
    for (int s : start) {
      max = Math.max(max, s + newTokens);
      same &= s == start[0];
    }
    if (max > pool.maxLength()) {
      throw new IllegalArgumentException("write past the pool's max length " + pool.maxLength());
    }
    this.attendLength = max;
    if (same) {
      this.commonStart = start[0];
      this.rowIndex = null;
      this.posIndex = null;
    } else {
      this.commonStart = -1;
      long[] r = new long[rows * newTokens];
      long[] p = new long[rows * newTokens];
      for (int b = 0; b < rows; b++) {
        for (int t = 0; t < newTokens; t++) {
          r[b * newTokens + t] = b;
          p[b * newTokens + t] = start[b] + t;
        }
      }
      this.rowIndex = scope.create(r);
      this.posIndex = scope.create(p);
    }
  }

  /** S: positions the attention reads (the furthest write of any row). */
  public int attendLength() {
    return attendLength;
  }

  @Override
  public NDArray[] store(int layer, NDArray k, NDArray v) {
    NDArray keys = pool.keys(layer);
    NDArray values = pool.values(layer);
    int h = (int) k.getShape().get(2);
    int hd = (int) k.getShape().get(3);
    if (commonStart >= 0) {
      NDIndex slot = new NDIndex(":{}, :, {}:{}", rows, commonStart, commonStart + newTokens);
      keys.set(slot, k.transpose(0, 2, 1, 3));
      values.set(slot, v.transpose(0, 2, 1, 3));
    } else {
      NDIndex slot = new NDIndex("{}, :, {}", rowIndex, posIndex);
      keys.set(slot, k.reshape(rows * newTokens, h, hd));
      values.set(slot, v.reshape(rows * newTokens, h, hd));
    }
    NDIndex view = new NDIndex(":{}, :, :{}", rows, attendLength);
    NDArray kv = keys.get(view);
    NDArray vv = values.get(view);
    kv.attach(scope);
    vv.attach(scope);
    return new NDArray[] {kv, vv};
  }
}
