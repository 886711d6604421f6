package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Priority;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.scheduler.SchedulerProperties;
import dev.tessera.scheduler.batching.BatchPolicy;
import dev.tessera.scheduler.batching.PendingQueues;
import dev.tessera.scheduler.batching.PendingQueues.Pending;
import dev.tessera.scheduler.fleet.WorkerFleet;
import dev.tessera.scheduler.metrics.SchedulerMetrics;
import dev.tessera.scheduler.ordering.Aging;
import dev.tessera.scheduler.ordering.FairShare;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import dev.tessera.scheduler.lease.DispatchLease;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The scheduler's one thread. It dispatches only while this instance holds the {@link
 * DispatchLease}; standing by, it keeps following the workers (heartbeats, results) but queues
 * nothing, and when it takes the lease over it rebuilds the queue and what each worker holds from
 * PostgreSQL first (and empties the queue again if it loses the lease). As the active scheduler it plans due batches from the pending queues (in priority and fairness
 * order) as far as the workers have room ({@link WorkerFleet}: capacity from heartbeats, minus what
 * each holds), expires requests whose deadline passed, dispatches each batch to the worker with the
 * most room, re-queues what a gone worker held, sweeps PostgreSQL for QUEUED rows now and then, and
 * sleeps until the next batch is due or a request, a heartbeat or a finished request arrives. So the
 * backlog stays here, where priority and fairness can still reorder it.
 */
@Component
public class DispatchLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DispatchLoop.class);
  /** Longest sleep, so that a stop or a sweep is never far away. */
  private static final Duration MAX_SLEEP = Duration.ofSeconds(1);
  private static final int SWEEP_LIMIT = 10_000;
  /** How often a standby looks at the lease. */
  private static final Duration STANDBY_POLL = Duration.ofMillis(200);

  private final PendingQueues queues;
  private final BatchDispatcher dispatcher;
  private final PendingRepository repository;
  private final TenantWeights weights;
  private final BatchPublisher publisher;
  private final SchedulerProperties properties;
  private final Clock clock;
  private final WorkerFleet fleet;
  private final Instant startedAt;
  private final SchedulerMetrics metrics;
  private final DispatchLease lease;
  /** The lease token this loop dispatches under; 0 while standing by. */
  private volatile long token;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile boolean running;
  private Thread thread;
  private Instant nextSweep = Instant.MIN;

  DispatchLoop(BatchDispatcher dispatcher, PendingRepository repository, TenantWeights weights,
      BatchPublisher publisher, SchedulerProperties properties, Clock clock,
      SchedulerMetrics metrics, DispatchLease lease) {
    this.lease = lease;
    this.queues = new PendingQueues(
        new BatchPolicy(properties.maxBatchSize(), properties.maxBatchWait()), new FairShare(),
        new Aging(properties.agingStep()), properties.workCost(), weights::weight);
    this.weights = weights;
    this.publisher = publisher;
    this.dispatcher = dispatcher;
    this.repository = repository;
    this.properties = properties;
    this.clock = clock;
    this.metrics = metrics;
    this.fleet = new WorkerFleet(properties.workerTimeout());
    this.startedAt = clock.instant();
  }

  /**
   * Who may use the room workers keep in reserve: high-priority requests, and requests of a tenant
   * with nothing on a worker (so a light tenant is not queued behind a flood). Called under the lock.
   */
  private boolean mayTakeReserve(GenerationRequest r) {
    return r.priority() == Priority.HIGH || !fleet.holdsFor(r.tenantId());
  }

  /**
   * A worker's heartbeat: room may have appeared; the active scheduler re-queues what a draining
   * worker handed back, and everything a leaving worker held.
   */
  public void onHeartbeat(WorkerHeartbeat heartbeat) {
    boolean leaving;
    lock.lock();
    try {
      leaving = fleet.onHeartbeat(heartbeat, clock.instant());
      changed.signal();
    } finally {
      lock.unlock();
    }
    if (token == 0) {
      return; // standing by: the active scheduler re-queues (or this one, when it takes over)
    }
    if (leaving && !heartbeat.draining()) {
      log.info("worker {} is leaving; re-queueing what it held", heartbeat.workerId());
      requeue(heartbeat.workerId());
    } else if (!heartbeat.handedBack().isEmpty()) {
      // a drained worker lists all it gave back; what else it held it finished, and those
      // results are on their way (re-queueing them too would race them and decode them twice);
      // the reconciliation re-queues whatever a gone worker still holds after that
      requeueHandedBack(heartbeat.workerId(), heartbeat.handedBack());
    }
  }

  /** Whether this scheduler is the active one (holds the lease and dispatches). */
  public boolean isActive() {
    return token != 0;
  }

  /** A request's terminal result: its worker has room again. */
  public void onFinished(String requestId) {
    lock.lock();
    try {
      fleet.finished(requestId, clock.instant());
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Adds a request that arrived over Kafka (ignored while standing by). */
  public void enqueue(GenerationRequest request) {
    if (token == 0) {
      return; // the active scheduler has it; a takeover rebuilds the queue from PostgreSQL
    }
    lock.lock();
    try {
      if (queues.add(request, clock.instant())) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Drops a cancelled request from the queue; whether it was there. */
  public boolean cancel(String requestId) {
    lock.lock();
    try {
      return queues.remove(requestId).isPresent();
    } finally {
      lock.unlock();
    }
  }

  /** Requests pending in the queue. */
  public int pending() {
    lock.lock();
    try {
      return queues.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "tessera-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    while (running) {
      try {
        OptionalLong held = lease.current();
        if (held.isEmpty()) {
          standBy();
          continue;
        }
        if (held.getAsLong() != token) {
          takeOver(held.getAsLong());
        }
        Instant now = clock.instant();
        if (!now.isBefore(nextSweep)) {
          sweep(now.minus(properties.sweepMinAge()), "swept up");
          reconcile();
          nextSweep = now.plus(properties.sweepInterval());
        }
        List<String> gone;
        PendingQueues.Plan plan;
        lock.lock();
        try {
          gone = fleet.removeGone(now);
          plan = queues.plan(now, fleet::room, this::mayTakeReserve);
          metrics.queueSampled(queues.waiting());
        } finally {
          lock.unlock();
        }
        for (String worker : gone) {
          log.warn("worker {} fell silent; re-queueing what it held", worker);
          requeue(worker);
        }
        expire(plan.expired(), now);
        for (List<Pending> batch : plan.batches()) {
          dispatch(batch);
        }
        if (plan.batches().isEmpty()) {
          sleepUntil(plan.nextWake().orElse(null));
        }
      } catch (RuntimeException e) {
        log.error("dispatch loop error; continuing", e);
        pause(properties.dispatchRetryDelay());
      }
    }
  }

  /** Not the active scheduler: forget the queue (if it was active) and wait for the lease. */
  private void standBy() {
    if (token != 0) {
      log.warn("scheduler {} stops dispatching: it no longer holds the lease", lease.holder());
      token = 0;
      lock.lock();
      try {
        queues.clear();
      } finally {
        lock.unlock();
      }
    }
    pause(STANDBY_POLL);
  }

  /**
   * This scheduler took the lease over: what each worker holds and the queue come from PostgreSQL
   * (every claim of the previous holder is committed by now: a takeover waits for them), and what
   * draining workers handed back is queued again.
   */
  private void takeOver(long newToken) {
    lock.lock();
    try {
      queues.clear();
    } finally {
      lock.unlock();
    }
    token = newToken;
    reconcile();
    sweep(clock.instant(), "rebuilt");
    Map<String, List<String>> handedBack;
    lock.lock();
    try {
      handedBack = fleet.handedBack();
    } finally {
      lock.unlock();
    }
    handedBack.forEach(this::requeueHandedBack);
    nextSweep = clock.instant().plus(properties.sweepInterval());
    log.info("scheduler {} dispatches now (fencing token {}); {} request(s) queued",
        lease.holder(), newToken, pending());
  }

  private void dispatch(List<Pending> batch) {
    String model = batch.get(0).request().model();
    List<String> ids = batch.stream().map(p -> p.request().id()).toList();
    WorkerFleet.Target target;
    lock.lock();
    try {
      boolean high = batch.stream().allMatch(p -> mayTakeReserve(p.request()));
      target = fleet.target(model, high).orElse(null);
      if (target == null) { // the room went while planning (a worker left): back to the queue
        queues.restore(batch);
        return;
      }
      fleet.assignRequests(target.workerId(), batch.stream().map(Pending::request).toList());
    } finally {
      lock.unlock();
    }
    try {
      BatchDispatcher.Outcome outcome = dispatcher.dispatch(batch, target, token,
          lease.holder());
      if (outcome.batch() != null) {
        metrics.batchDispatched(outcome.batch());
        log.debug("dispatched batch {} of {} {}/{} request(s) to {}", outcome.batch().batchId(),
            outcome.batch().size(), outcome.batch().model(), outcome.batch().strategy().apiName(),
            target.workerId());
      }
      if (outcome.dropped() > 0) {
        Set<String> sent = outcome.batch() == null ? Set.of() : outcome.batch().requests().stream()
            .map(GenerationRequest::id).collect(Collectors.toSet());
        lock.lock();
        try {
          fleet.unassign(ids.stream().filter(id -> !sent.contains(id)).toList());
        } finally {
          lock.unlock();
        }
      }
    } catch (RuntimeException e) {
      log.warn("dispatch of {} request(s) failed, will retry: {}", batch.size(), e.toString());
      lock.lock();
      try {
        fleet.unassign(ids);
        queues.restore(batch);
      } finally {
        lock.unlock();
      }
      pause(properties.dispatchRetryDelay());
    }
  }

  /** Puts what a gone worker held back in the queue (PostgreSQL first, then here). */
  private void requeue(String workerId) {
    List<GenerationRequest> rows;
    try {
      rows = repository.requeue(workerId, clock.instant().truncatedTo(ChronoUnit.MICROS));
    } catch (RuntimeException e) {
      log.warn("could not re-queue the requests of worker {}; the next reconciliation retries: {}",
          workerId, e.toString());
      return;
    }
    lock.lock();
    try {
      fleet.forget(workerId);
      rows.forEach(r -> queues.add(r, r.queuedAt()));
      changed.signal();
    } finally {
      lock.unlock();
    }
    if (!rows.isEmpty()) {
      log.warn("re-queued {} request(s) held by worker {}", rows.size(), workerId);
    }
  }

  /** Puts requests a draining worker gave back (not started, or abandoned) back in the queue. */
  private void requeueHandedBack(String workerId, List<String> ids) {
    List<GenerationRequest> rows;
    try {
      rows = repository.requeueHandedBack(workerId, ids,
          clock.instant().truncatedTo(ChronoUnit.MICROS));
    } catch (RuntimeException e) {
      log.warn("could not re-queue what worker {} handed back; its leaving re-queues it: {}",
          workerId, e.toString());
      return;
    }
    lock.lock();
    try {
      fleet.unassign(rows.stream().map(GenerationRequest::id).toList());
      rows.forEach(r -> queues.add(r, r.queuedAt()));
      changed.signal();
    } finally {
      lock.unlock();
    }
    if (!rows.isEmpty()) {
      log.info("re-queued {} request(s) draining worker {} handed back", rows.size(), workerId);
    }
  }

  /**
   * Corrects what each worker holds from PostgreSQL, and re-queues what workers that are not live
   * hold (once the scheduler has listened long enough to have heard every live one).
   */
  private void reconcile() {
    Map<String, String> held;
    try {
      held = repository.heldByWorkers();
    } catch (RuntimeException e) {
      log.warn("could not read what the workers hold from PostgreSQL: {}", e.toString());
      return;
    }
    Set<String> orphans;
    lock.lock();
    try {
      fleet.reconcile(held);
      boolean heardEveryone = Duration.between(startedAt, clock.instant())
          .compareTo(properties.workerTimeout()) > 0;
      orphans = heardEveryone ? fleet.orphanHolders(clock.instant()) : Set.of();
    } finally {
      lock.unlock();
    }
    orphans.forEach(this::requeue);
  }

  /**
   * Ends requests whose deadline passed in the queue: an EXPIRED withdrawal on the results topic, which
   * the recorder stores (not billed). If the publish fails the row stays QUEUED and the next sweep
   * brings it back, to expire again.
   */
  private void expire(List<Pending> expired, Instant now) {
    for (Pending p : expired) {
      GenerationRequest r = p.request();
      try {
        publisher.publishResult(GenerationResult.withdrawn(r.id(), GenerationState.EXPIRED,
            r.attempt(), now.truncatedTo(ChronoUnit.MICROS), Failure.permanent("deadline_passed",
                "not dispatched by its deadline " + r.deadline())));
        log.info("request {} expired in the queue (deadline {})", r.id(), r.deadline());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.warn("could not publish the expiry of {}; the sweep retries: {}", r.id(), e.toString());
      }
    }
  }

  /** Adds QUEUED rows accepted at or before {@code cutoff} that the queue does not hold. */
  private void sweep(Instant cutoff, String verb) {
    weights.refresh();
    List<GenerationRequest> rows;
    try {
      rows = repository.findQueued(cutoff, SWEEP_LIMIT);
    } catch (RuntimeException e) {
      log.warn("could not read QUEUED rows from PostgreSQL: {}", e.toString());
      return;
    }
    int added = 0;
    lock.lock();
    try {
      for (GenerationRequest r : rows) {
        if (queues.add(r, r.queuedAt())) {
          added++;
        }
      }
    } finally {
      lock.unlock();
    }
    if (added > 0) {
      log.info("{} {} QUEUED request(s) from PostgreSQL", verb, added);
    }
  }

  private void sleepUntil(Instant wake) {
    Duration sleep = MAX_SLEEP;
    if (wake != null) {
      Duration untilWake = Duration.between(clock.instant(), wake);
      if (untilWake.compareTo(sleep) < 0) {
        sleep = untilWake;
      }
    }
    if (sleep.isNegative() || sleep.isZero()) {
      return;
    }
    lock.lock();
    try {
      changed.awaitNanos(sleep.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = running && !Thread.currentThread().isInterrupted();
    } finally {
      lock.unlock();
    }
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
