package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.scheduler.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hands due retries to the dispatch loop. A retryable failure leaves its row RETRYING with a {@code
 * retry_at} (set by the result recorder); every {@code tessera.scheduler.retry-poll-interval} this
 * reads the rows whose time has come and enqueues them, where they are batched like any request.
 * The row is the retry's durable timer: nothing is lost when a scheduler restarts, and the claim
 * (RETRYING → DISPATCHED, once) decides between schedulers. A request handed over is not handed
 * over again for a while: it is in the queue, or being dispatched, until its row leaves RETRYING.
 */
@Component
class RetryPoller implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RetryPoller.class);
  private static final int LIMIT = 1_000;
  /** How long a handed-over request is not handed over again. */
  private static final Duration HANDED_OVER = Duration.ofSeconds(5);

  private final PendingRepository repository;
  private final DispatchLoop loop;
  private final Duration interval;
  private final Clock clock;
  private final Map<String, Instant> handedOver = new HashMap<>();
  private ScheduledExecutorService executor;
  private volatile boolean running;
  private boolean failing;

  RetryPoller(PendingRepository repository, DispatchLoop loop, SchedulerProperties properties,
      Clock clock) {
    this.repository = repository;
    this.loop = loop;
    this.interval = properties.retryPollInterval();
    this.clock = clock;
  }

  @Override
  public void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tessera-retry-poller");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** One poll: the due retries into the queue. Runs on the poller's thread only. */
  void poll() {
    if (!loop.isActive()) {
      return; // standing by: the active scheduler polls
    }
    Instant now = clock.instant();
    List<GenerationRequest> due;
    try {
      due = repository.findDueRetries(now, LIMIT);
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn("could not read due retries from PostgreSQL; still trying: {}", e.toString());
      }
      failing = true;
      return;
    }
    if (failing) {
      log.info("reading due retries from PostgreSQL again");
      failing = false;
    }
    handedOver.values().removeIf(at -> at.isBefore(now.minus(HANDED_OVER)));
    int added = 0;
    for (GenerationRequest r : due) {
      if (handedOver.putIfAbsent(r.id(), now) == null) {
        loop.enqueue(r);
        added++;
      }
    }
    if (added > 0) {
      log.debug("{} due retr{} handed to the dispatch loop", added, added == 1 ? "y" : "ies");
    }
  }
}
