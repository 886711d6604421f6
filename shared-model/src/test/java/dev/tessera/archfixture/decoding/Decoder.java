package dev.tessera.archfixture.decoding;

import dev.tessera.archfixture.model.Pool;

/** Decodes with the model's pool (decoding depends on model, as it should). */
public class Decoder {
  public int decode(Pool pool) {
    return pool.lease(2);
  }
}
