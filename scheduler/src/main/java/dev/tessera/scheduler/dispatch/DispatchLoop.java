package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.scheduler.SchedulerProperties;
import dev.tessera.scheduler.batching.PendingQueues;
import dev.tessera.scheduler.batching.PendingQueues.Pending;
import dev.tessera.scheduler.fleet.WorkerFleet;
import dev.tessera.scheduler.lease.DispatchLease;
import dev.tessera.scheduler.metrics.SchedulerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The scheduler's one thread. It dispatches only while this instance holds the {@link
 * DispatchLease}; standing by, it keeps following the workers (heartbeats, results) but queues
 * nothing, and when it takes the lease over it rebuilds the queue and what each worker holds from
 * PostgreSQL first ({@link QueueRecovery}), and empties the queue again if it loses the lease. As
 * the active scheduler it plans due batches from the pending queues (in priority and fairness
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
  /** How often a standby looks at the lease. */
  private static final Duration STANDBY_POLL = Duration.ofMillis(200);

  /**
   * What one pass of the loop did.
   *
   * @param active whether this scheduler held the lease (false: it stood by)
   * @param batches the batches it dispatched (or tried to)
   * @param nextWake when the next batch is due, null if none is planned
   */
  record Pass(boolean active, int batches, Instant nextWake) {}

  private final DispatchState state;
  private final QueueRecovery recovery;
  private final BatchDispatcher dispatcher;
  private final BatchPublisher publisher;
  private final SchedulerProperties properties;
  private final Clock clock;
  private final SchedulerMetrics metrics;
  private final DispatchLease lease;
  /** The lease token this loop dispatches under; 0 while standing by. */
  private volatile long token;
  private volatile boolean running;
  private Thread thread;
  private Instant nextSweep = Instant.MIN;

  DispatchLoop(DispatchState state, QueueRecovery recovery, BatchDispatcher dispatcher,
      BatchPublisher publisher, SchedulerProperties properties, Clock clock,
      SchedulerMetrics metrics, DispatchLease lease) {
    this.state = state;
    this.recovery = recovery;
    this.dispatcher = dispatcher;
    this.publisher = publisher;
    this.properties = properties;
    this.clock = clock;
    this.metrics = metrics;
    this.lease = lease;
  }

  /**
   * A worker's heartbeat: room may have appeared; the active scheduler re-queues what a draining
   * worker handed back, and everything a leaving worker held.
   */
  public void onHeartbeat(WorkerHeartbeat heartbeat) {
    boolean leaving = state.applyAndWake((queues, fleet) -> fleet.onHeartbeat(heartbeat,
        clock.instant()));
    if (token == 0) {
      return; // standing by: the active scheduler re-queues (or this one, when it takes over)
    }
    if (leaving && !heartbeat.draining()) {
      log.info("worker {} is leaving; re-queueing what it held", heartbeat.workerId());
      recovery.requeue(heartbeat.workerId());
    } else if (!heartbeat.handedBack().isEmpty()) {
      // a drained worker lists all it gave back; what else it held it finished, and those
      // results are on their way (re-queueing them too would race them and decode them twice);
      // the reconciliation re-queues whatever a gone worker still holds after that
      recovery.requeueHandedBack(heartbeat.workerId(), heartbeat.handedBack());
    }
  }

  /** Whether this scheduler is the active one (holds the lease and dispatches). */
  public boolean isActive() {
    return token != 0;
  }

  /** A request's terminal result: its worker has room again. */
  public void onFinished(String requestId) {
    state.acceptAndWake((queues, fleet) -> fleet.finished(requestId, clock.instant()));
  }

  /** Adds a request that arrived over Kafka (ignored while standing by). */
  public void enqueue(GenerationRequest request) {
    if (token == 0) {
      return; // the active scheduler has it; a takeover rebuilds the queue from PostgreSQL
    }
    state.applyAndWake((queues, fleet) -> queues.add(request, clock.instant()));
  }

  /** Drops a cancelled request from the queue; whether it was there. */
  public boolean cancel(String requestId) {
    return state.apply((queues, fleet) -> queues.remove(requestId).isPresent());
  }

  /** Requests pending in the queue. */
  public int pending() {
    return state.apply((queues, fleet) -> queues.size());
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
        Pass pass = step();
        if (!pass.active()) {
          pause(STANDBY_POLL);
        } else if (pass.batches() == 0) {
          sleepUntil(pass.nextWake());
        }
      } catch (RuntimeException e) {
        log.error("dispatch loop error; continuing", e);
        pause(properties.dispatchRetryDelay());
      }
    }
  }

  /**
   * One pass: follow the lease (stand by, or take over), sweep and reconcile when due, re-queue
   * what silent workers held, expire overdue requests and dispatch the batches that are due and fit.
   */
  Pass step() {
    OptionalLong held = lease.current();
    if (held.isEmpty()) {
      standBy();
      return new Pass(false, 0, null);
    }
    if (held.getAsLong() != token) {
      takeOver(held.getAsLong());
    }
    Instant now = clock.instant();
    if (!now.isBefore(nextSweep)) {
      recovery.sweep(now.minus(properties.sweepMinAge()), "swept up");
      recovery.reconcile();
      nextSweep = now.plus(properties.sweepInterval());
    }
    record Planned(List<String> gone, PendingQueues.Plan plan) {}
    Planned planned = state.apply((queues, fleet) -> {
      List<String> gone = fleet.removeGone(now);
      PendingQueues.Plan plan = queues.plan(now, fleet::room,
          r -> DispatchState.mayTakeReserve(fleet, r));
      metrics.queueSampled(queues.waiting());
      return new Planned(gone, plan);
    });
    for (String worker : planned.gone()) {
      log.warn("worker {} fell silent; re-queueing what it held", worker);
      recovery.requeue(worker);
    }
    PendingQueues.Plan plan = planned.plan();
    expire(plan.expired(), now);
    for (List<Pending> batch : plan.batches()) {
      dispatch(batch);
    }
    return new Pass(true, plan.batches().size(), plan.nextWake().orElse(null));
  }

  /** Not the active scheduler: forget the queue (if it was active). */
  private void standBy() {
    if (token != 0) {
      log.warn("scheduler {} stops dispatching: it no longer holds the lease", lease.holder());
      token = 0;
      state.accept((queues, fleet) -> queues.clear());
    }
  }

  /**
   * This scheduler took the lease over: what each worker holds and the queue come from PostgreSQL
   * (every claim of the previous holder is committed by now: a takeover waits for them), and what
   * draining workers handed back is queued again.
   */
  private void takeOver(long newToken) {
    state.accept((queues, fleet) -> queues.clear());
    token = newToken;
    recovery.reconcile();
    recovery.sweep(clock.instant(), "rebuilt");
    Map<String, List<String>> handedBack = state.apply((queues, fleet) -> fleet.handedBack());
    handedBack.forEach(recovery::requeueHandedBack);
    nextSweep = clock.instant().plus(properties.sweepInterval());
    log.info("scheduler {} dispatches now (fencing token {}); {} request(s) queued",
        lease.holder(), newToken, pending());
  }

  private void dispatch(List<Pending> batch) {
    String model = batch.get(0).request().model();
    List<String> ids = batch.stream().map(p -> p.request().id()).toList();
    WorkerFleet.Target target = state.apply((queues, fleet) -> {
      boolean high = batch.stream().allMatch(p -> DispatchState.mayTakeReserve(fleet,
          p.request()));
      WorkerFleet.Target t = fleet.target(model, high).orElse(null);
      if (t == null) { // the room went while planning (a worker left): back to the queue
        queues.restore(batch);
      } else {
        fleet.assignRequests(t.workerId(), batch.stream().map(Pending::request).toList());
      }
      return t;
    });
    if (target == null) {
      return;
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
        state.accept((queues, fleet) ->
            fleet.unassign(ids.stream().filter(id -> !sent.contains(id)).toList()));
      }
    } catch (RuntimeException e) {
      log.warn("dispatch of {} request(s) failed, will retry", batch.size(), e);
      state.accept((queues, fleet) -> {
        fleet.unassign(ids);
        queues.restore(batch);
      });
      pause(properties.dispatchRetryDelay());
    }
  }

  /**
   * Ends requests whose deadline passed in the queue: an EXPIRED withdrawal on the results topic,
   * which the recorder stores (not billed). If the publish fails the row stays QUEUED and the next
   * sweep brings it back, to expire again.
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
        log.warn("could not publish the expiry of {}; the sweep retries", r.id(), e);
      }
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
    try {
      state.awaitChange(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = running && !Thread.currentThread().isInterrupted();
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
