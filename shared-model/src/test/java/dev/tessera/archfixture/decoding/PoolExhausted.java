package dev.tessera.archfixture.decoding;

/** Planted: the exception the model's pool throws lives in decoding (decoding <-> model cycle). */
public class PoolExhausted extends RuntimeException {
  public PoolExhausted(String message) {
    super(message);
  }
}
