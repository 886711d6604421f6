package dev.tessera.gateway.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers the outbox: every {@code poll-interval} this gateway claims due deliveries (rows other
 * gateways hold are skipped) and makes one attempt of each, on a few sender threads. 2xx succeeds;
 * 410 Gone gives up and disables the endpoint; anything else (another status, a timeout, no
 * connection) is retried after {@link WebhookProperties#backoffAfter} or the receiver's
 * Retry-After, until {@code max-attempts}. A target that resolves to a private address (unless
 * allowed) fails at once. The outbox is in PostgreSQL, so what a stopped gateway did not deliver
 * another (or the same, restarted) delivers.
 */
@Component
public class WebhookDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int SENDERS = 4;

  private final WebhookRepository repository;
  private final WebhookProperties properties;
  private final Clock clock;
  private final WebhookSender sender;
  private ScheduledExecutorService poller;
  private ExecutorService senders;

  WebhookDispatcher(WebhookRepository repository, WebhookProperties properties, Clock clock) {
    this.repository = repository;
    this.properties = properties;
    this.clock = clock;
    this.sender = new WebhookSender(properties.timeout());
  }

  @Override
  public synchronized void start() {
    if (!properties.enabled() || isRunning()) {
      return;
    }
    poller = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "webhook-poller"));
    senders = Executors.newFixedThreadPool(SENDERS, r -> thread(r, "webhook-sender"));
    long interval = properties.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::pollOnce, interval, interval, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (poller == null) {
      return;
    }
    poller.shutdownNow();
    senders.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    poller = null;
    senders = null;
  }

  @Override
  public synchronized boolean isRunning() {
    return poller != null;
  }

  /** Claims what is due and attempts each; waits for the attempts before the next poll. */
  void pollOnce() {
    try {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
      List<WebhookRepository.Claimed> due = repository.claim(now,
          now.plus(properties.lease()), properties.batchSize());
      List<Future<?>> attempts = new ArrayList<>();
      for (WebhookRepository.Claimed c : due) {
        attempts.add(senders.submit(() -> attempt(c)));
      }
      for (Future<?> f : attempts) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("webhook poll failed (retried next poll)", e);
    }
  }

  private void attempt(WebhookRepository.Claimed c) {
    int attempt = c.attempts() + 1;
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    URI url = URI.create(c.url());
    Optional<String> refused = WebhookTargets.refusal(url, properties.allowPrivateTargets());
    if (refused.isPresent()) {
      repository.record(c.id(), attempt, at, null, 0, "refused: " + refused.get(), "failed",
          null);
      log.warn("webhook {} to {} refused: {}", c.id(), c.url(), refused.get());
      return;
    }
    if (c.secret() == null) {
      repository.record(c.id(), attempt, at, null, 0, "no signing secret", "failed", null);
      return;
    }
    long timestamp = at.getEpochSecond();
    WebhookSender.Response r = sender.send(url, c.id(), timestamp,
        Signatures.sign(c.secret(), c.id(), timestamp, c.payload()), c.payload());
    String error = r.error() != null ? r.error()
        : r.status() / 100 == 2 ? null : "HTTP " + r.status();
    if (r.status() != null && r.status() / 100 == 2) {
      repository.record(c.id(), attempt, at, r.status(), r.latencyMs(), null, "succeeded", null);
    } else if (r.status() != null && r.status() == 410) {
      repository.record(c.id(), attempt, at, r.status(), r.latencyMs(), error, "failed", null);
      if (c.endpointId() != null && repository.disable(c.endpointId(), at)) {
        log.info("webhook endpoint {} answered 410 Gone: disabled", c.endpointId());
      }
    } else if (attempt >= properties.maxAttempts()) {
      repository.record(c.id(), attempt, at, r.status(), r.latencyMs(), error, "failed", null);
      log.warn("webhook {} to {} failed after {} attempts: {}", c.id(), c.url(), attempt, error);
    } else {
      Duration wait = properties.backoffAfter(attempt);
      if (r.retryAfterSeconds().isPresent()) {
        Duration asked = Duration.ofSeconds(r.retryAfterSeconds().getAsLong());
        wait = asked.compareTo(wait) > 0 ? asked : wait;
        wait = wait.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : wait;
      }
      repository.record(c.id(), attempt, at, r.status(), r.latencyMs(), error, "pending",
          clock.instant().plus(wait));
    }
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
