package dev.tessera.model;

/** The KV-cache pool has no free slots for what was asked. */
public class KvCacheExhaustedException extends RuntimeException {
  public KvCacheExhaustedException(String message) {
    super(message);
  }
}
