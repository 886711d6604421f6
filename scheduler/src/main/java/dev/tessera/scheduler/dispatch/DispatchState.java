package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.scheduler.batching.PendingQueues;
import dev.tessera.scheduler.fleet.WorkerFleet;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.springframework.stereotype.Component;

/**
 * The pending queue and the worker fleet, and the one lock that guards both: the dispatch loop's
 * thread plans and dispatches, the Kafka listeners' threads add requests, heartbeats and finished
 * requests. A change wakes the loop.
 */
@Component
class DispatchState {

  private final PendingQueues queues;
  private final WorkerFleet fleet;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  DispatchState(PendingQueues queues, WorkerFleet fleet) {
    this.queues = queues;
    this.fleet = fleet;
  }

  /** Reads or changes the queue and the fleet under the lock. */
  <T> T apply(BiFunction<PendingQueues, WorkerFleet, T> action) {
    lock.lock();
    try {
      return action.apply(queues, fleet);
    } finally {
      lock.unlock();
    }
  }

  /** Changes the queue or the fleet under the lock. */
  void accept(BiConsumer<PendingQueues, WorkerFleet> action) {
    apply((queues, fleet) -> {
      action.accept(queues, fleet);
      return null;
    });
  }

  /** Changes the queue or the fleet under the lock and wakes the loop. */
  <T> T applyAndWake(BiFunction<PendingQueues, WorkerFleet, T> action) {
    return apply((queues, fleet) -> {
      T result = action.apply(queues, fleet);
      changed.signal();
      return result;
    });
  }

  /** Changes the queue or the fleet under the lock and wakes the loop. */
  void acceptAndWake(BiConsumer<PendingQueues, WorkerFleet> action) {
    applyAndWake((queues, fleet) -> {
      action.accept(queues, fleet);
      return null;
    });
  }

  /** Waits until a change that wakes the loop, or {@code timeout}, whichever comes first. */
  void awaitChange(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      changed.awaitNanos(timeout.toNanos());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Who may use the room workers keep in reserve: high-priority requests, and requests of a tenant
   * with nothing on a worker (so a light tenant is not queued behind a flood). Call it under the
   * lock, from an action.
   */
  static boolean mayTakeReserve(WorkerFleet fleet, GenerationRequest r) {
    return r.priority() == Priority.HIGH || !fleet.holdsFor(r.tenantId());
  }
}
