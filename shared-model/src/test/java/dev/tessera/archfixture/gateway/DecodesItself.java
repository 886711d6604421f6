package dev.tessera.archfixture.gateway;

import dev.tessera.archfixture.decoding.Decoder;
import dev.tessera.archfixture.model.Pool;

/** Planted: the gateway decodes with the model library. */
public class DecodesItself {
  public int decode() {
    return new Decoder().decode(new Pool());
  }
}
