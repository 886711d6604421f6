package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.scheduler.batching.PendingQueues.Pending;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import dev.tessera.scheduler.fleet.WorkerFleet;
import dev.tessera.scheduler.lease.DispatchLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dispatches one batch to a worker: in one transaction, check the dispatch lease's fencing token
 * (under a share lock, so no takeover happens until the commit), claim the rows (QUEUED →
 * DISPATCHED), record each dispatch ({@code dispatches}: one row per request and attempt), publish
 * the batch of the claimed requests, addressed to the worker and carrying the token, commit. If the publish fails the transaction rolls back and the rows stay
 * QUEUED; if the commit fails after the publish, the rows stay QUEUED and may be dispatched again,
 * and the result recorder absorbs the duplicate. The row locks taken by the claim also order the
 * worker's first events after the DISPATCHED state.
 */
@Component
class BatchDispatcher {

  /** What happened to a planned batch. */
  record Outcome(GenerationBatch batch, int dropped) {}

  private static final Logger log = LoggerFactory.getLogger(BatchDispatcher.class);

  private final PendingRepository repository;
  private final BatchPublisher publisher;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final DispatchLease lease;

  BatchDispatcher(PendingRepository repository, BatchPublisher publisher, TransactionTemplate tx,
      Clock clock, DispatchLease lease) {
    this.lease = lease;
    this.repository = repository;
    this.publisher = publisher;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Claims and publishes; returns the published batch (null if no row was still QUEUED). Throws if
   * the batch could not be published, with nothing claimed.
   */
  Outcome dispatch(List<Pending> planned, WorkerFleet.Target target, long token,
      String schedulerId) {
    UUID batchId = UUID.randomUUID();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return tx.execute(status -> {
      if (!lease.verify(token)) {
        throw new DispatchException("scheduler " + schedulerId + " no longer holds the lease "
            + "with token " + token, null);
      }
      Map<UUID, Integer> claimed = repository.claim(
          planned.stream().map(p -> UUID.fromString(p.request().id())).toList(), batchId,
          target.workerId(), now);
      int dropped = planned.size() - claimed.size();
      if (dropped > 0) {
        log.debug("{} of {} planned requests were no longer QUEUED", dropped, planned.size());
      }
      if (claimed.isEmpty()) {
        return new Outcome(null, dropped);
      }
      List<GenerationRequest> requests = planned.stream()
          .map(Pending::request)
          .filter(r -> claimed.containsKey(UUID.fromString(r.id())))
          .map(r -> r.withAttempt(claimed.get(UUID.fromString(r.id()))))
          .toList();
      repository.recordDispatches(requests, batchId, target.workerId(), schedulerId, token, now);
      GenerationRequest first = requests.get(0);
      GenerationBatch batch = new GenerationBatch(batchId.toString(), first.model(),
          first.strategy(), requests, now, target.workerId(), token);
      try {
        publisher.publish(batch, target.partition());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DispatchException("interrupted while publishing batch " + batchId, e);
      } catch (Exception e) {
        throw new DispatchException("could not publish batch " + batchId, e);
      }
      return new Outcome(batch, dropped);
    });
  }

  /** A batch could not be published; its rows stay QUEUED. */
  static class DispatchException extends RuntimeException {
    DispatchException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
