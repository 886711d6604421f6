package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.gateway.auth.ApiKeys;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.gateway.limits.LimitService;
import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Accepts generation requests: validate, answer a repeated Idempotency-Key with its first
 * generation, admit under the tenant's limits, store the row QUEUED (the durable acceptance), then
 * publish to the scheduler. The order matters: a request is never on Kafka without its row, and a row
 * whose publish failed is found by the scheduler's sweep of QUEUED rows.
 */
@Service
public class GenerationService {

  /** Longest Idempotency-Key accepted. */
  static final int MAX_IDEMPOTENCY_KEY = 255;

  /**
   * What a POST answers.
   *
   * @param replayed true when the Idempotency-Key was seen before: {@code id} is the first
   *     generation's, nothing new was stored, charged or published
   * @param state the generation's state (QUEUED for a new one)
   */
  public record Accepted(UUID id, boolean published, boolean replayed, GenerationState state) {}

  private final SubmissionValidator validator;
  private final GenerationRepository repository;
  private final RequestPublisher publisher;
  private final LimitService limits;
  private final Clock clock;

  GenerationService(ModelCatalog catalog, GenerationRepository repository,
      RequestPublisher publisher, LimitService limits, Clock clock) {
    this.validator = new SubmissionValidator(catalog::find,
        () -> catalog.all().stream().map(ModelDescriptor::name).toList());
    this.repository = repository;
    this.publisher = publisher;
    this.limits = limits;
    this.clock = clock;
  }

  /** Validates, stores and publishes one request without an Idempotency-Key. */
  public Accepted submit(Caller caller, CreateGenerationBody body) {
    return submit(caller, body, null);
  }

  /**
   * Validates, stores and publishes one request. With an Idempotency-Key already used by the tenant,
   * answers the first generation if the body is the same, and 422 if it is not; of concurrent
   * duplicates, the unique index on (tenant, key) lets exactly one insert win.
   */
  public Accepted submit(Caller caller, CreateGenerationBody body, String idempotencyKey) {
    checkIdempotencyKey(idempotencyKey);
    UUID id = UUID.randomUUID();
    long randomSeed = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    GenerationRequest request = validator.validate(body, caller, id, randomSeed,
        clock.instant().truncatedTo(ChronoUnit.MICROS));
    String fingerprint = idempotencyKey == null ? null : fingerprint(body);
    if (idempotencyKey != null) {
      var first = repository.findByIdempotencyKey(caller.tenantId(), idempotencyKey);
      if (first.isPresent()) {
        return replay(first.get(), fingerprint, idempotencyKey);
      }
    }
    publisher.ensureAvailable();
    LimitService.Admission admission = limits.admit(caller.tenantId(), id);
    try {
      repository.insertQueued(request, idempotencyKey, fingerprint);
    } catch (DuplicateKeyException e) {
      admission.undo();
      return replay(repository.findByIdempotencyKey(caller.tenantId(), idempotencyKey)
          .orElseThrow(() -> e), fingerprint, idempotencyKey);
    } catch (RuntimeException e) {
      admission.undo();
      throw e;
    }
    boolean published = publisher.publish(request);
    return new Accepted(id, published, false, GenerationState.QUEUED);
  }

  private static Accepted replay(GenerationRepository.IdempotentRequest first, String fingerprint,
      String key) {
    if (!fingerprint.equals(first.fingerprint())) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ProblemType.IDEMPOTENCY_KEY_REUSED,
          "Idempotency-Key '" + key + "' was used for generation " + first.id()
              + " with a different body; use a new key for a new request", "Idempotency-Key");
    }
    return new Accepted(first.id(), true, true, first.state());
  }

  private static void checkIdempotencyKey(String key) {
    if (key == null) {
      return;
    }
    if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY
        || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new InvalidRequestException(ProblemType.INVALID_FIELD, "Idempotency-Key",
          "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters");
    }
  }

  /** SHA-256 of the body as parsed: the same JSON fields and values give the same fingerprint. */
  static String fingerprint(CreateGenerationBody body) {
    return HexFormat.of().formatHex(ApiKeys.sha256(String.valueOf(body)));
  }
}
