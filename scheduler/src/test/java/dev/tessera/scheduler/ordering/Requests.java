package dev.tessera.scheduler.ordering;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.time.Instant;
import java.util.UUID;

/** Requests for the ordering tests. */
final class Requests {

  static final String KEY = UUID.randomUUID().toString();

  private Requests() {}

  static String tenant() {
    return UUID.randomUUID().toString();
  }

  static GenerationRequest of(String tenant, String model, Priority priority, Instant queuedAt) {
    return new GenerationRequest(UUID.randomUUID().toString(), tenant, KEY, model, 1, Strategy.AR,
        7L, SamplingParams.DEFAULT, StrategyParams.DEFAULT, priority, null, 0, queuedAt);
  }

  static GenerationRequest of(String tenant, Priority priority, Instant queuedAt) {
    return of(tenant, "fm-ar", priority, queuedAt);
  }
}
