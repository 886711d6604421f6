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
import dev.tessera.gateway.problem.ServiceUnavailableException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts generation requests: validate, answer a repeated Idempotency-Key with its first
 * generation, admit under the tenant's limits, store the row QUEUED (the durable acceptance), then
 * publish to the scheduler. The order matters: a request is never on Kafka without its row, and a row
 * whose publish failed is found by the scheduler's sweep of QUEUED rows. A batch ({@link
 * BatchService}) goes the same way, all its requests together: admitted, stored (in one
 * transaction) and answered again under one Idempotency-Key, or none of them.
 */
@Service
public class GenerationService {

  /** Longest Idempotency-Key accepted. */
  static final int MAX_IDEMPOTENCY_KEY = 255;

  /**
   * Joins a batch's Idempotency-Key and an item's index into the key its item i > 0 is stored
   * under (item 0 takes the key itself). A client's key never holds this control character, so a
   * stored key names one submission and one item.
   */
  private static final char ITEM_KEY_SEPARATOR = '\u001f';

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
  private final TransactionTemplate tx;
  private final Clock clock;
  private final SubmissionWebhooks webhooks;

  GenerationService(ModelCatalog catalog, GenerationRepository repository,
      RequestPublisher publisher, LimitService limits, TransactionTemplate tx, Clock clock,
      SubmissionWebhooks webhooks) {
    this.webhooks = webhooks;
    this.validator = new SubmissionValidator(name -> servedModel(catalog, name),
        () -> catalog.all().stream().map(ModelDescriptor::name).toList());
    this.repository = repository;
    this.publisher = publisher;
    this.limits = limits;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * The model of this name; while the catalog is still reading the heartbeats at start-up, a model
   * it does not know yet is a 503 (it may be served), not a 400.
   */
  private static Optional<ModelDescriptor> servedModel(ModelCatalog catalog, String name) {
    Optional<ModelDescriptor> model = catalog.find(name);
    if (model.isEmpty() && !catalog.isComplete()) {
      throw new ServiceUnavailableException("kafka", "this gateway has just started and is still "
          + "learning which models the workers serve; retry shortly", null);
    }
    return model;
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
    GenerationRequest request = validate(caller, body);
    return accept(caller, List.of(request), Collections.singletonList(webhook(body)),
        idempotencyKey, idempotencyKey == null ? null : fingerprint(body)).get(0);
  }

  /**
   * Turns a body into a request: a new id, a random seed if it has none, accepted now.
   *
   * @throws InvalidRequestException naming the offending field
   */
  GenerationRequest validate(Caller caller, CreateGenerationBody body) {
    long randomSeed = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    return validator.validate(body, caller, UUID.randomUUID(), randomSeed,
        clock.instant().truncatedTo(ChronoUnit.MICROS));
  }

  /** The body's webhook, or null; a 400 naming {@code webhook_url} or {@code webhook_events}. */
  SubmissionWebhooks.Attachment webhook(CreateGenerationBody body) {
    return body == null ? null : webhooks.check(body.webhookUrl(), body.webhookEvents());
  }

  /**
   * Accepts validated requests together, in order, or none of them: a repeated Idempotency-Key
   * answers the first submission's generations; otherwise admit them all under the tenant's limits
   * (429 for all, with nothing taken), store them all QUEUED, then publish them.
   *
   * @param requestWebhooks each request's webhook (or null), stored with it
   * @param idempotencyKey the submission's key, or null; checked by {@link #checkIdempotencyKey}
   * @param fingerprint what identifies the submission's body for the key, or null without a key
   */
  List<Accepted> accept(Caller caller, List<GenerationRequest> requests,
      List<SubmissionWebhooks.Attachment> requestWebhooks, String idempotencyKey,
      String fingerprint) {
    List<String> keys = idempotencyKey == null ? null : itemKeys(idempotencyKey, requests.size());
    if (keys != null) {
      Optional<List<Accepted>> first = replay(caller, keys, fingerprint);
      if (first.isPresent()) {
        return first.get();
      }
    }
    publisher.ensureAvailable();
    List<UUID> ids = requests.stream().map(r -> UUID.fromString(r.id())).toList();
    LimitService.Admission admission = limits.admit(caller.tenantId(), ids);
    try {
      tx.executeWithoutResult(status -> { // one transaction: a batch is stored whole or not
        for (int i = 0; i < requests.size(); i++) {
          repository.insertQueued(requests.get(i), keys == null ? null : keys.get(i), fingerprint);
          if (requestWebhooks.get(i) != null) {
            requestWebhooks.get(i).attachTo(ids.get(i));
          }
        }
      });
    } catch (DuplicateKeyException e) {
      admission.undo();
      return replay(caller, keys, fingerprint).orElseThrow(() -> e);
    } catch (RuntimeException e) {
      admission.undo();
      throw e;
    }
    boolean published = publisher.publish(requests);
    return ids.stream().map(id -> new Accepted(id, published, false, GenerationState.QUEUED))
        .toList();
  }

  /**
   * The first submission under these item keys, if the tenant sent one: 422 if its body was
   * different.
   */
  private Optional<List<Accepted>> replay(Caller caller, List<String> keys, String fingerprint) {
    if (keys == null) {
      return Optional.empty();
    }
    Optional<GenerationRepository.IdempotentRequest> first =
        repository.findByIdempotencyKey(caller.tenantId(), keys.get(0));
    if (first.isEmpty()) {
      return Optional.empty();
    }
    if (!fingerprint.equals(first.get().fingerprint())) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, ProblemType.IDEMPOTENCY_KEY_REUSED,
          "Idempotency-Key '" + keys.get(0) + "' was used for generation " + first.get().id()
              + " with a different body; use a new key for a new request", "Idempotency-Key");
    }
    if (keys.size() == 1) {
      return Optional.of(List.of(replayed(first.get())));
    }
    // same fingerprint, so the same body: its items were stored together, under these keys
    Map<String, GenerationRepository.IdempotentRequest> all =
        repository.findByIdempotencyKeys(caller.tenantId(), keys);
    List<Accepted> answers = new ArrayList<>(keys.size());
    for (String key : keys) {
      GenerationRepository.IdempotentRequest item = all.get(key);
      if (item == null || !fingerprint.equals(item.fingerprint())) {
        throw new IllegalStateException("batch item under Idempotency-Key '" + keys.get(0)
            + "' is missing");
      }
      answers.add(replayed(item));
    }
    return Optional.of(answers);
  }

  private static Accepted replayed(GenerationRepository.IdempotentRequest first) {
    return new Accepted(first.id(), true, true, first.state());
  }

  /** The keys items 0..n-1 of a submission are stored under: the key itself, then key␟i. */
  private static List<String> itemKeys(String key, int n) {
    return IntStream.range(0, n).mapToObj(i -> i == 0 ? key : key + ITEM_KEY_SEPARATOR + i)
        .toList();
  }

  static void checkIdempotencyKey(String key) {
    if (key == null) {
      return;
    }
    if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY
        || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new InvalidRequestException(ProblemType.INVALID_FIELD, "Idempotency-Key",
          "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters");
    }
  }

  /**
   * SHA-256 of a body as parsed (a record, so its text is its fields and values): the same JSON
   * fields and values give the same fingerprint.
   */
  static String fingerprint(Record body) {
    return HexFormat.of().formatHex(ApiKeys.sha256(String.valueOf(body)));
  }
}
