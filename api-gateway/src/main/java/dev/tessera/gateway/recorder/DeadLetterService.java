package dev.tessera.gateway.recorder;

import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.events.StateChanges;
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.generation.GenerationRow;
import dev.tessera.gateway.generation.GenerationView;
import dev.tessera.gateway.generation.RequestPublisher;
import dev.tessera.gateway.generation.ResultCache;
import dev.tessera.gateway.limits.LimitService;
import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The admin's dead letters: list them, and replay a failed request's.
 *
 * <p>A replay gives the generation a new life under its id. In one transaction, with the dead
 * letter and the row locked: the row goes back from FAILED to QUEUED, accepted now, attempt 0, its
 * failed life's outcome cleared (a passed deadline too: it would expire at once); the failed life's
 * unbilled usage event is removed, so that the new life's end writes the one event; the dead letter
 * is marked replayed (a second replay is a conflict). The request is admitted under the tenant's
 * limits like a new submission (rate, in-flight, monthly quota), since FAILED gave its in-flight
 * slot and its image back: over a limit the replay is refused with 429 and nothing changes. After
 * the commit its cache entry is dropped, the change announced to the event streams, and it is
 * published to the scheduler; if that publish fails the scheduler's sweep of QUEUED rows finds it.
 */
@Service
public class DeadLetterService {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterService.class);

  private final DeadLetterRepository deadLetters;
  private final GenerationRepository generations;
  private final LedgerRepository ledger;
  private final LimitService limits;
  private final ResultCache cache;
  private final RequestPublisher publisher;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final StateChanges changes;

  DeadLetterService(DeadLetterRepository deadLetters, GenerationRepository generations,
      LedgerRepository ledger, LimitService limits, ResultCache cache, RequestPublisher publisher,
      TransactionTemplate tx, Clock clock, StateChanges changes) {
    this.changes = changes;
    this.deadLetters = deadLetters;
    this.generations = generations;
    this.ledger = ledger;
    this.limits = limits;
    this.cache = cache;
    this.publisher = publisher;
    this.tx = tx;
    this.clock = clock;
  }

  /** The newest dead letters first, of one tenant or (null) of all. */
  public List<DeadLetterRow> list(UUID tenantId, int limit) {
    return deadLetters.list(tenantId, limit);
  }

  /**
   * Replays a failed request's dead letter; returns its generation, QUEUED again.
   *
   * @throws NotFoundException no such dead letter
   * @throws ApiException 409 if it was replayed already, or is not a request's
   * @throws dev.tessera.gateway.limits.LimitExceededException the tenant is over a limit
   */
  public GenerationView replay(long id) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    LimitService.Admission[] admission = new LimitService.Admission[1];
    GenerationRow row;
    try {
      row = tx.execute(status -> {
        DeadLetterRow letter = deadLetters.findForUpdate(id)
            .orElseThrow(() -> new NotFoundException("no dead letter " + id));
        if (!DeadLetterRow.REQUEST.equals(letter.kind())) {
          throw conflict(ProblemType.NOT_REPLAYABLE, "dead letter " + id + " is a message "
              + "that could not be processed, not a failed request; only those are replayed");
        }
        if (letter.replayedAt() != null) {
          throw conflict(ProblemType.ALREADY_REPLAYED, "dead letter " + id + " was replayed at "
              + letter.replayedAt());
        }
        GenerationRow failed = generations.findForUpdate(letter.requestId())
            .filter(g -> g.state() == GenerationState.FAILED)
            .orElseThrow(() -> conflict(ProblemType.NOT_REPLAYABLE, "generation "
                + letter.requestId() + " of dead letter " + id + " is not FAILED"));
        admission[0] = limits.admit(failed.tenantId(), failed.id());
        Instant deadline = failed.deadline() != null && failed.deadline().isAfter(now)
            ? failed.deadline() : null;
        generations.requeueFailed(failed.id(), now, deadline);
        ledger.deleteUnbilledUsage(failed.id());
        ledger.deleteDispatches(failed.id()); // attempts count from 1 again in the new life
        deadLetters.markReplayed(id, now);
        return generations.find(failed.id()).orElseThrow();
      });
    } catch (RuntimeException e) {
      if (admission[0] != null) {
        admission[0].undo();
      }
      throw e;
    }
    cache.evict(row.id());
    changes.announce(row.id(), row.state()); // after the eviction: a reader finds the new life
    boolean published = publisher.publish(row.toRequest());
    log.info("dead letter {} replayed: generation {} is QUEUED again{}", id, row.id(),
        published ? "" : " (not published; the scheduler's sweep will find it)");
    return GenerationView.of(row);
  }

  private static ApiException conflict(ProblemType type, String detail) {
    return new ApiException(HttpStatus.CONFLICT, type, detail, null);
  }
}
