package dev.tessera.gateway.generation;

import dev.tessera.gateway.auth.Caller;
import java.util.UUID;

/**
 * Cancels a generation ({@code DELETE /v1/generations/{id}}). The result recorder implements it,
 * since a cancellation is stored as a result; this side only needs to ask for one.
 */
public interface Cancellations {

  /**
   * Cancels the caller's generation; returns its view, now CANCELLED.
   *
   * @throws dev.tessera.gateway.problem.NotFoundException for an unknown id or another tenant's
   * @throws dev.tessera.gateway.problem.ApiException 409 for a generation that already ended
   */
  GenerationView cancel(Caller caller, UUID id);
}
