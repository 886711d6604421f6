package dev.tessera.scheduler.batching;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Strategy;

/** Requests that may share a batch: same model, same strategy. */
public record GroupKey(String model, Strategy strategy) {

  /** The group of a request. */
  public static GroupKey of(GenerationRequest request) {
    return new GroupKey(request.model(), request.strategy());
  }
}
