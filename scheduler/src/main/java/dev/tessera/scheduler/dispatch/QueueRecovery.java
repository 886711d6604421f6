package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.scheduler.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Brings what PostgreSQL says into the scheduler's view: QUEUED rows the queue lacks (the sweep),
 * what each worker holds (the reconciliation), and the requests of a gone or draining worker, put
 * back in the queue (PostgreSQL first, then here). A failure is logged and left to the next sweep or
 * reconciliation.
 */
@Component
class QueueRecovery {

  private static final Logger log = LoggerFactory.getLogger(QueueRecovery.class);
  private static final int SWEEP_LIMIT = 10_000;

  private final DispatchState state;
  private final PendingRepository repository;
  private final TenantWeights weights;
  private final Clock clock;
  private final Duration workerTimeout;
  private final Instant startedAt;

  QueueRecovery(DispatchState state, PendingRepository repository, TenantWeights weights,
      SchedulerProperties properties, Clock clock) {
    this.state = state;
    this.repository = repository;
    this.weights = weights;
    this.clock = clock;
    this.workerTimeout = properties.workerTimeout();
    this.startedAt = clock.instant();
  }

  /** Puts what a gone worker held back in the queue. */
  void requeue(String workerId) {
    List<GenerationRequest> rows;
    try {
      rows = repository.requeue(workerId, clock.instant().truncatedTo(ChronoUnit.MICROS));
    } catch (RuntimeException e) {
      log.warn("could not re-queue the requests of worker {}; the next reconciliation retries",
          workerId, e);
      return;
    }
    state.acceptAndWake((queues, fleet) -> {
      fleet.forget(workerId);
      rows.forEach(r -> queues.add(r, r.queuedAt()));
    });
    if (!rows.isEmpty()) {
      log.warn("re-queued {} request(s) held by worker {}", rows.size(), workerId);
    }
  }

  /** Puts requests a draining worker gave back (not started, or abandoned) back in the queue. */
  void requeueHandedBack(String workerId, List<String> ids) {
    List<GenerationRequest> rows;
    try {
      rows = repository.requeueHandedBack(workerId, ids,
          clock.instant().truncatedTo(ChronoUnit.MICROS));
    } catch (RuntimeException e) {
      log.warn("could not re-queue what worker {} handed back; its leaving re-queues it",
          workerId, e);
      return;
    }
    state.acceptAndWake((queues, fleet) -> {
      fleet.unassign(rows.stream().map(GenerationRequest::id).toList());
      rows.forEach(r -> queues.add(r, r.queuedAt()));
    });
    if (!rows.isEmpty()) {
      log.info("re-queued {} request(s) draining worker {} handed back", rows.size(), workerId);
    }
  }

  /**
   * Corrects what each worker holds from PostgreSQL, and re-queues what workers that are not live
   * hold (once the scheduler has listened long enough to have heard every live one).
   */
  void reconcile() {
    Map<String, String> held;
    try {
      held = repository.heldByWorkers();
    } catch (RuntimeException e) {
      log.warn("could not read what the workers hold from PostgreSQL", e);
      return;
    }
    Set<String> orphans = state.apply((queues, fleet) -> {
      fleet.reconcile(held);
      boolean heardEveryone = Duration.between(startedAt, clock.instant())
          .compareTo(workerTimeout) > 0;
      return heardEveryone ? fleet.orphanHolders(clock.instant()) : Set.<String>of();
    });
    orphans.forEach(this::requeue);
  }

  /** Adds QUEUED rows accepted at or before {@code cutoff} that the queue does not hold. */
  void sweep(Instant cutoff, String verb) {
    weights.refresh();
    List<GenerationRequest> rows;
    try {
      rows = repository.findQueued(cutoff, SWEEP_LIMIT);
    } catch (RuntimeException e) {
      log.warn("could not read QUEUED rows from PostgreSQL", e);
      return;
    }
    int added = state.apply((queues, fleet) -> {
      int n = 0;
      for (GenerationRequest r : rows) {
        if (queues.add(r, r.queuedAt())) {
          n++;
        }
      }
      return n;
    });
    if (added > 0) {
      log.info("{} {} QUEUED request(s) from PostgreSQL", verb, added);
    }
  }
}
