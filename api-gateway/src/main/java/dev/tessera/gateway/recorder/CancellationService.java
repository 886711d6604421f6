package dev.tessera.gateway.recorder;

import dev.tessera.contract.Cancellation;
import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.generation.Cancellations;
import dev.tessera.gateway.generation.GenerationReader;
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.generation.GenerationRow;
import dev.tessera.gateway.generation.GenerationView;
import dev.tessera.gateway.generation.RequestPublisher;
import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.NotFoundException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * {@code DELETE /v1/generations/{id}}: stores CANCELLED at once through the result recorder (row,
 * unbilled usage event, Redis), then tells the scheduler and the workers. A queued (or retrying)
 * request is then never dispatched (a dispatch claims only QUEUED rows and due RETRYING ones); a
 * running one is stopped by its worker at its next step, whose own CANCELLED or late result the
 * recorder ignores. 404 for an unknown id or another tenant's, 409 for a generation that already
 * ended.
 */
@Service
public class CancellationService implements Cancellations {

  private final GenerationRepository repository;
  private final ResultRecorder recorder;
  private final RequestPublisher publisher;
  private final GenerationReader reader;
  private final Clock clock;

  CancellationService(GenerationRepository repository, ResultRecorder recorder,
      RequestPublisher publisher, GenerationReader reader, Clock clock) {
    this.repository = repository;
    this.recorder = recorder;
    this.publisher = publisher;
    this.reader = reader;
    this.clock = clock;
  }

  @Override
  public GenerationView cancel(Caller caller, UUID id) {
    GenerationRow row = repository.find(id)
        .filter(r -> r.tenantId().equals(caller.tenantId()))
        .orElseThrow(() -> new NotFoundException("no generation " + id));
    if (row.state().isTerminal()) {
      throw finished(id, row.state());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    ResultRecorder.Outcome outcome = recorder.record(GenerationResult.withdrawn(id.toString(),
        GenerationState.CANCELLED, row.attempt(), now,
        Failure.permanent("cancelled", "cancelled by the client")));
    if (outcome != ResultRecorder.Outcome.RECORDED) {
      throw finished(id, repository.find(id).map(GenerationRow::state).orElse(row.state()));
    }
    publisher.publish(new Cancellation(id.toString(), row.tenantId().toString(), now));
    return reader.view(caller, id);
  }

  private static ApiException finished(UUID id, GenerationState state) {
    return new ApiException(HttpStatus.CONFLICT, ProblemType.ALREADY_FINISHED,
        "generation " + id + " already ended " + state + "; only an active one can be cancelled",
        null);
  }
}
