package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationState;
import dev.tessera.contract.StrategyParams;
import dev.tessera.contract.SamplingParams;
import java.time.Instant;
import java.util.UUID;

/** Generation rows and views for the gateway's tests. */
public final class Views {

  /** When the test generations were accepted. */
  public static final Instant QUEUED_AT = Instant.parse("2026-01-01T00:00:00Z");

  private Views() {}

  /** A QUEUED fm-ar generation of class 3, as stored. */
  public static GenerationRow queuedRow(UUID id, UUID tenantId) {
    return row(id, tenantId, GenerationState.QUEUED, 0);
  }

  /** A generation of class 3 in {@code state}, at {@code attempt}. */
  public static GenerationRow row(UUID id, UUID tenantId, GenerationState state, int attempt) {
    return new GenerationRow(id, tenantId, UUID.randomUUID(), "fm-ar", "ar", 3, 7L,
        SamplingParams.DEFAULT, StrategyParams.DEFAULT, "normal", null, state, attempt, null,
        null, new GenerationView.Timestamps(QUEUED_AT, null, null, null, null, null, null, null),
        null, null, null, null, false);
  }

  /** The view of a QUEUED generation. */
  public static GenerationView queued(UUID id) {
    return GenerationView.of(queuedRow(id, UUID.randomUUID()));
  }

  /** The view of a CANCELLED generation. */
  public static GenerationView cancelled(UUID id) {
    return GenerationView.of(row(id, UUID.randomUUID(), GenerationState.CANCELLED, 0));
  }
}
