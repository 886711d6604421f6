package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.contract.ModelDescriptor;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;

/**
 * Accepts generation requests: validate, store the row QUEUED (the durable acceptance), then publish
 * to the scheduler. The order matters: a request is never on Kafka without its row, and a row whose
 * publish failed is found by the scheduler's sweep of QUEUED rows.
 */
@Service
public class GenerationService {

  /** What a POST answers. */
  public record Accepted(UUID id, GenerationRequest request, boolean published) {}

  private final SubmissionValidator validator;
  private final GenerationRepository repository;
  private final RequestPublisher publisher;
  private final Clock clock;

  GenerationService(ModelCatalog catalog, GenerationRepository repository,
      RequestPublisher publisher, Clock clock) {
    this.validator = new SubmissionValidator(catalog::find,
        () -> catalog.all().stream().map(ModelDescriptor::name).toList());
    this.repository = repository;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Validates, stores and publishes one request. */
  public Accepted submit(Caller caller, CreateGenerationBody body) {
    UUID id = UUID.randomUUID();
    long randomSeed = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    GenerationRequest request = validator.validate(body, caller, id, randomSeed,
        clock.instant().truncatedTo(ChronoUnit.MICROS));
    publisher.ensureAvailable();
    repository.insertQueued(request);
    boolean published = publisher.publish(request);
    return new Accepted(id, request, published);
  }
}
