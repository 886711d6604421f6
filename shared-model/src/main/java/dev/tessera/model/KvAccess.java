package dev.tessera.model;

import ai.djl.ndarray.NDArray;

/** Where a forward's new keys and values go, and what the attention reads back. */
public interface KvAccess {

  /**
   * Stores the new keys and values of one layer and returns the keys and values to attend over.
   *
   * @param layer layer index
   * @param k new keys [B, T, H, hd] (RoPE applied)
   * @param v new values [B, T, H, hd]
   * @return {keys [B, H, S, hd], values [B, H, S, hd]}
   */
  NDArray[] store(int layer, NDArray k, NDArray v);

  /** No cache: attend over the tokens of this forward only (training, full-sequence reference). */
  KvAccess NONE = (layer, k, v) ->
      new NDArray[] {k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3)};
}
