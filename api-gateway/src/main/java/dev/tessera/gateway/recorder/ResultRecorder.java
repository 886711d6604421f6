package dev.tessera.gateway.recorder;

import dev.tessera.contract.DeadLetter;
import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.gateway.GatewayProperties;
import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.gateway.events.StateChanges;
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.generation.GenerationRow;
import dev.tessera.gateway.generation.GenerationView;
import dev.tessera.gateway.generation.RequestPublisher;
import dev.tessera.gateway.generation.ResultCache;
import dev.tessera.gateway.limits.LimitService;
import dev.tessera.gateway.metrics.GatewayMetrics;
import dev.tessera.gateway.webhook.WebhookOutbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records worker events, idempotently by request id. RUNNING moves an active row; a terminal result
 * writes, in one transaction, the final row (state, metrics, latency, image) and the usage event, then
 * caches the finished generation in Redis and releases the request's hold on the tenant's limits.
 * Withdrawals (EXPIRED by the scheduler, CANCELLED by the client) are stored the same way, not
 * billed; an EXPIRED one only while the row was never dispatched. A second delivery of a terminal
 * result finds the row terminal and changes nothing: not the row, not the ledger, not the cache.
 *
 * <p>A FAILED result goes through the {@link RetryPolicy}. A retryable failure with attempts left
 * moves the row to RETRYING with the time of its next dispatch and its error, and nothing else: no
 * usage event, no cache entry, the limits still held (the request is still in flight). Otherwise
 * the row ends FAILED as above and, in the same transaction, a dead letter keeps the request for an
 * admin's replay; after the commit the dead letter is also published on {@code
 * tessera.dead-letters}, best effort. A duplicate or late FAILED result changes nothing.
 *
 * <p>Every change it makes (RUNNING, RETRYING, a terminal state) is announced on Redis after the
 * commit ({@link StateChanges}), so that every gateway's event streams send it.
 */
@Service
public class ResultRecorder {

  /** What recording one event did. */
  public enum Outcome {
    /** The event changed the row. */
    RECORDED,
    /** The row was already terminal: a duplicate or a late event; nothing changed. */
    IGNORED,
    /** No row has this id. */
    UNKNOWN
  }

  private static final Logger log = LoggerFactory.getLogger(ResultRecorder.class);

  /** What the transaction did with a terminal or FAILED result. */
  private sealed interface Store permits NoRow, Unchanged, Stored {}

  /** No row has the result's id. */
  private record NoRow() implements Store {}

  /** The result changes nothing: the row was terminal, or the result is a duplicate or late. */
  private record Unchanged() implements Store {}

  /** What the transaction stored: the row as it is now, and the dead letter written (or null). */
  private record Stored(GenerationRow row, DeadLetter deadLetter) implements Store {}

  private final GenerationRepository generations;
  private final LedgerRepository ledger;
  private final ResultCache cache;
  private final ModelCatalog catalog;
  private final LimitService limits;
  private final DeadLetterRepository deadLetters;
  private final RequestPublisher publisher;
  private final RetryPolicy retries;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final GatewayMetrics metrics;
  private final StateChanges changes;
  private final WebhookOutbox webhooks;

  ResultRecorder(GenerationRepository generations, LedgerRepository ledger, ResultCache cache,
      ModelCatalog catalog, LimitService limits, DeadLetterRepository deadLetters,
      RequestPublisher publisher, GatewayProperties properties, TransactionTemplate tx,
      Clock clock, GatewayMetrics metrics, StateChanges changes, WebhookOutbox webhooks) {
    this.changes = changes;
    this.webhooks = webhooks;
    this.limits = limits;
    this.generations = generations;
    this.ledger = ledger;
    this.cache = cache;
    this.catalog = catalog;
    this.deadLetters = deadLetters;
    this.publisher = publisher;
    this.retries = RetryPolicy.of(properties.retry());
    this.tx = tx;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Records one event from {@code tessera.results}. */
  public Outcome record(GenerationResult result) {
    UUID id = UUID.fromString(result.requestId());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (result.status() == GenerationState.RUNNING) {
      boolean moved = generations.markRunning(id, result.startedAt(), result.workerId(),
          UUID.fromString(result.batchId()), result.attempt(), now);
      if (moved) {
        changes.announce(id, GenerationState.RUNNING);
        return Outcome.RECORDED;
      }
      return generations.find(id).isPresent() ? Outcome.IGNORED : Outcome.UNKNOWN;
    }
    Store store = tx.execute(status -> store(id, result, now));
    if (store instanceof NoRow) {
      return Outcome.UNKNOWN;
    }
    if (!(store instanceof Stored stored)) {
      return Outcome.IGNORED;
    }
    GenerationRow row = stored.row();
    if (row.state().isTerminal()) {
      // after the commit, and only for the call that made the row terminal: a redelivered result
      // returned IGNORED above, so it can neither free an in-flight slot nor refund quota twice
      metrics.requestFinished(row);
      limits.finished(row.tenantId(), id, row.timestamps().queuedAt(),
          row.state() == GenerationState.SUCCEEDED);
      cache.put(new ResultCache.Entry(row.tenantId().toString(), GenerationView.of(row)),
          result.png());
    } else {
      metrics.retryScheduled();
    }
    changes.announce(id, row.state());
    if (stored.deadLetter() != null) {
      metrics.deadLettered();
      publisher.publish(stored.deadLetter());
    }
    return Outcome.RECORDED;
  }

  /**
   * In the transaction: a FAILED result's retry, or the final row with its usage event (and,
   * FAILED, its dead letter): what was stored, {@link Unchanged} if the result changes nothing,
   * {@link NoRow} if there is no row.
   */
  private Store store(UUID id, GenerationResult result, Instant now) {
    Optional<GenerationRow> locked = generations.findForUpdate(id);
    if (locked.isEmpty()) {
      return new NoRow();
    }
    GenerationRow row = locked.get();
    if (row.state().isTerminal()) {
      log.debug("result for {} ignored: already terminal", id);
      return new Unchanged();
    }
    if (result.status() != GenerationState.FAILED) {
      return storedOrUnchanged(finish(row, result, now));
    }
    RetryPolicy.Decision decision = retries.decide(row.state(), row.attempt(), result, now);
    if (decision instanceof RetryPolicy.Ignore ignore) {
      log.debug("FAILED result {} ignored: {}", result, ignore.reason());
      return new Unchanged();
    }
    if (decision instanceof RetryPolicy.Retry retry) {
      if (!generations.markRetrying(id, result.attempt(), retry.at(), now, result.error().code(),
          result.error().message())) {
        return new Unchanged();
      }
      log.info("request {} attempt {} failed ({}: {}); next attempt at {}", id, result.attempt(),
          result.error().code(), result.error().message(), retry.at());
      return storedOrUnchanged(generations.find(id));
    }
    Optional<GenerationRow> failed = finish(row, result, now);
    if (failed.isEmpty()) {
      return new Unchanged();
    }
    DeadLetter deadLetter = deadLetter(failed.get(), result, now);
    log.warn("request {} FAILED after {} attempt(s) ({}: {}); dead letter {}", id,
        result.attempt(), result.error().code(), result.error().message(), deadLetter.id());
    return new Stored(failed.get(), deadLetter);
  }

  private static Store storedOrUnchanged(Optional<GenerationRow> row) {
    return row.<Store>map(r -> new Stored(r, null)).orElseGet(Unchanged::new);
  }

  /** Keeps a request that ended FAILED, as it was last dispatched. */
  private DeadLetter deadLetter(GenerationRow row, GenerationResult result, Instant now) {
    var request = row.toRequest().withAttempt(result.attempt());
    long deadLetterId = deadLetters.insertRequest(request, result.attempt(), result.error(), now);
    return new DeadLetter(deadLetterId, request, result.attempt(), result.error(), now);
  }

  /**
   * In the transaction: the final row and the usage event. Returns the stored row, empty if it was
   * not stored (an EXPIRED withdrawal of a dispatched row).
   */
  private Optional<GenerationRow> finish(GenerationRow row, GenerationResult result, Instant now) {
    UUID id = row.id();
    if (result.status() == GenerationState.EXPIRED && row.state() != GenerationState.QUEUED
        && row.state() != GenerationState.RETRYING) {
      return Optional.empty(); // dispatched after all: its worker decides how it ends
    }
    DecodeMetrics m = result.metrics();
    Instant runningAt = row.timestamps().runningAt() != null ? row.timestamps().runningAt()
        : result.startedAt();
    GenerationView.Latency latency = Latencies.derive(row.timestamps().queuedAt(),
        row.timestamps().dispatchedAt(), runningAt, now,
        m == null ? null : m.decodeMillis(),
        result.status() == GenerationState.SUCCEEDED ? result.encodeMillis() : null);
    GenerationView.Metrics metrics = m == null ? null : new GenerationView.Metrics(m.steps(),
        m.targetForwards(), m.drafterForwards(), m.draftedTokens(), m.acceptedTokens(),
        m.meanAcceptedLength(), m.acceptedPerPosition());
    boolean stored = generations.finish(new GenerationRepository.Finish(id, result.status(), now,
        result.startedAt(), result.workerId(),
        result.batchId() == null ? null : UUID.fromString(result.batchId()), result.attempt(),
        metrics, latency, result.png(),
        result.error() == null ? null : result.error().code(),
        result.error() == null ? null : result.error().message()));
    if (!stored) {
      return Optional.empty();
    }
    boolean succeeded = result.status() == GenerationState.SUCCEEDED;
    int tokens = succeeded ? catalog.find(row.model()).map(ModelDescriptor::tokensPerImage).orElse(0)
        : 0;
    ledger.insertUsage(new LedgerRepository.UsageEvent(id, row.tenantId(), row.apiKeyId(),
        row.model(), row.strategy(), result.status().name(), succeeded, succeeded ? 1 : 0, tokens,
        m == null ? 0 : m.targetForwards(), m == null ? 0 : m.drafterForwards(),
        m == null ? 0 : m.decodeMillis(), now));
    Optional<GenerationRow> finished = generations.find(id);
    finished.ifPresent(webhooks::enqueue); // the outbox row commits with the state, or neither
    return finished;
  }
}
