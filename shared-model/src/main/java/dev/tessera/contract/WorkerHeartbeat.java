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
 * catalog from these; the scheduler dispatches to a worker only while the requests it holds there are
 * fewer than its capacity, and takes a worker that falls silent (or leaves) out of rotation.
 *
 * @param workerId stable id of the worker instance
 * @param sentAt when it was sent (worker clock)
 * @param interval how often the worker sends one; a worker silent for a few intervals is gone
 * @param models the models it serves
 * @param freeSlots free image slots per model name (images it could admit now)
 * @param leaving true in the last heartbeat of a worker that is shutting down
 * @param capacity requests the worker holds at once (decoding plus waiting at its step boundary)
 * @param partitions the partitions of {@link Topics#BATCHES} assigned to it: where a batch for this
 *     worker is published
 * @param highPriorityReserve of the capacity, requests only high-priority work may take
 * @param draining the worker is stopping: it takes no new work and finishes what it decodes
 * @param handedBack ids of requests dispatched to it that it will not start (it is draining): the
 *     scheduler queues them again at once
 * @param peakHeld the most requests it ever held at once since it started (never above capacity
 *     while the schedulers keep their promise)
 */
public record WorkerHeartbeat(
    String workerId, Instant sentAt, Duration interval, List<ModelDescriptor> models,
    Map<String, Integer> freeSlots, boolean leaving, int capacity, List<Integer> partitions,
    int highPriorityReserve, boolean draining, List<String> handedBack, int peakHeld) {

  public WorkerHeartbeat {
    requireText(workerId, "worker_id");
    Objects.requireNonNull(sentAt, "sent_at");
    require(interval != null && !interval.isNegative() && !interval.isZero(),
        "interval must be positive");
    models = models == null ? List.of() : List.copyOf(models);
    freeSlots = freeSlots == null ? Map.of() : Map.copyOf(freeSlots);
    require(capacity >= 0, "capacity must be >= 0");
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
    require(highPriorityReserve >= 0 && highPriorityReserve <= capacity,
        "high_priority_reserve must be in [0, capacity]");
    handedBack = handedBack == null ? List.of() : List.copyOf(handedBack);
    require(peakHeld >= 0, "peak_held must be >= 0");
  }

  /** A heartbeat of a serving worker (not draining). */
  public WorkerHeartbeat(String workerId, Instant sentAt, Duration interval,
      List<ModelDescriptor> models, Map<String, Integer> freeSlots, boolean leaving, int capacity,
      List<Integer> partitions, int highPriorityReserve) {
    this(workerId, sentAt, interval, models, freeSlots, leaving, capacity, partitions,
        highPriorityReserve, false, List.of(), 0);
  }

  /** Whether the scheduler may send it new work: live, not leaving, not draining. */
  public boolean takesWork() {
    return !leaving && !draining;
  }

  /** A heartbeat of a worker that does not (yet) say its capacity or partitions. */
  public WorkerHeartbeat(String workerId, Instant sentAt, Duration interval,
      List<ModelDescriptor> models, Map<String, Integer> freeSlots, boolean leaving) {
    this(workerId, sentAt, interval, models, freeSlots, leaving, 0, List.of(), 0);
  }
}
