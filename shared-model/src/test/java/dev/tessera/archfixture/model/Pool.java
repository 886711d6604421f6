package dev.tessera.archfixture.model;

import dev.tessera.archfixture.decoding.PoolExhausted;

/** A model-side class; planted: it throws an exception of the decoding package that uses it. */
public class Pool {
  public int lease(int slots) {
    if (slots > 8) {
      throw new PoolExhausted("no " + slots + " free slots");
    }
    return slots;
  }
}
