package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.scheduler.SchedulerProperties;
import dev.tessera.scheduler.batching.BatchPolicy;
import dev.tessera.scheduler.batching.PendingQueues;
import dev.tessera.scheduler.batching.PendingQueues.Pending;
import dev.tessera.scheduler.metrics.SchedulerMetrics;
import dev.tessera.scheduler.ordering.Aging;
import dev.tessera.scheduler.ordering.FairShare;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The scheduler's one thread: plans due batches from the pending queues (in priority and fairness
 * order), expires requests whose deadline passed, dispatches the batches, sweeps
 * PostgreSQL for QUEUED rows now and then, and sleeps until the next batch is due or a request
 * arrives. On start it rebuilds the queue from PostgreSQL before anything else.
 */
@Component
public class DispatchLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DispatchLoop.class);
  /** Longest sleep, so that a stop or a sweep is never far away. */
  private static final Duration MAX_SLEEP = Duration.ofSeconds(1);
  private static final int SWEEP_LIMIT = 10_000;

  private final PendingQueues queues;
  private final BatchDispatcher dispatcher;
  private final PendingRepository repository;
  private final TenantWeights weights;
  private final BatchPublisher publisher;
  private final SchedulerProperties properties;
  private final Clock clock;
  private final SchedulerMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile boolean running;
  private Thread thread;
  private Instant nextSweep = Instant.MIN;

  DispatchLoop(BatchDispatcher dispatcher, PendingRepository repository, TenantWeights weights,
      BatchPublisher publisher, SchedulerProperties properties, Clock clock,
      SchedulerMetrics metrics) {
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
  }

  /** Adds a request that arrived over Kafka. */
  public void enqueue(GenerationRequest request) {
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
    sweep(clock.instant(), "rebuilt");
    nextSweep = clock.instant().plus(properties.sweepInterval());
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
        Instant now = clock.instant();
        if (!now.isBefore(nextSweep)) {
          sweep(now.minus(properties.sweepMinAge()), "swept up");
          nextSweep = now.plus(properties.sweepInterval());
        }
        PendingQueues.Plan plan;
        lock.lock();
        try {
          plan = queues.plan(now);
          metrics.queueSampled(queues.waiting());
        } finally {
          lock.unlock();
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

  private void dispatch(List<Pending> batch) {
    try {
      BatchDispatcher.Outcome outcome = dispatcher.dispatch(batch);
      if (outcome.batch() != null) {
        metrics.batchDispatched(outcome.batch());
        log.info("dispatched batch {} of {} {}/{} request(s)", outcome.batch().batchId(),
            outcome.batch().size(), outcome.batch().model(), outcome.batch().strategy().apiName());
      }
    } catch (RuntimeException e) {
      log.warn("dispatch of {} request(s) failed, will retry: {}", batch.size(), e.toString());
      lock.lock();
      try {
        queues.restore(batch);
      } finally {
        lock.unlock();
      }
      pause(properties.dispatchRetryDelay());
    }
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
