package dev.tessera.contract;

import static dev.tessera.contract.Checks.requireUuid;

import java.time.Instant;
import java.util.Objects;

/**
 * A client cancelled a generation: the notice the gateway publishes on {@link Topics#CANCELLATIONS}
 * (key: the request id) after it stored the CANCELLED state. The scheduler drops the request from its
 * queue; a worker that is decoding it stops it at its next step and frees its slots.
 *
 * @param requestId generation id
 * @param tenantId its tenant
 * @param cancelledAt when the gateway stored the cancellation
 */
public record Cancellation(String requestId, String tenantId, Instant cancelledAt) {

  public Cancellation {
    requireUuid(requestId, "request_id");
    requireUuid(tenantId, "tenant_id");
    Objects.requireNonNull(cancelledAt, "cancelled_at");
  }
}
