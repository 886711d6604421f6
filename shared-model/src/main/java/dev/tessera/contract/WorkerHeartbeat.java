package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;
import static dev.tessera.contract.Checks.requireText;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A worker's periodic announcement on {@link Topics#HEARTBEATS} (key: the worker id; the topic is
 * compacted, so a new reader learns the last word of every worker). The gateway builds its model
 * catalog from these; the scheduler will use the free capacity to dispatch only what can be admitted.
 *
 * @param workerId stable id of the worker instance
 * @param sentAt when it was sent (worker clock)
 * @param interval how often the worker sends one; a worker silent for a few intervals is gone
 * @param models the models it serves
 * @param freeSlots free image slots per model name (images it could admit now)
 * @param leaving true in the last heartbeat of a worker that is shutting down
 */
public record WorkerHeartbeat(
    String workerId, Instant sentAt, Duration interval, List<ModelDescriptor> models,
    Map<String, Integer> freeSlots, boolean leaving) {

  public WorkerHeartbeat {
    requireText(workerId, "worker_id");
    Objects.requireNonNull(sentAt, "sent_at");
    require(interval != null && !interval.isNegative() && !interval.isZero(),
        "interval must be positive");
    models = models == null ? List.of() : List.copyOf(models);
    freeSlots = freeSlots == null ? Map.of() : Map.copyOf(freeSlots);
  }
}
