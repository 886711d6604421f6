package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;
import static dev.tessera.contract.Checks.requireText;
import static dev.tessera.contract.Checks.requireUuid;

import dev.tessera.decoding.Strategy;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Requests of one (model, strategy) group that the scheduler dispatches together on
 * {@link Topics#BATCHES} (key: the model). A worker decodes them in one loop and publishes one
 * {@link GenerationResult} per request.
 *
 * @param batchId batch id (UUID)
 * @param model served model name shared by every request
 * @param strategy decoding strategy shared by every request
 * @param requests the requests, in dispatch order, with their attempt numbers set
 * @param dispatchedAt when the scheduler dispatched the batch (state DISPATCHED of each request)
 */
public record GenerationBatch(
    String batchId, String model, Strategy strategy, List<GenerationRequest> requests,
    Instant dispatchedAt) {

  public GenerationBatch {
    requireUuid(batchId, "batch_id");
    requireText(model, "model");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(dispatchedAt, "dispatched_at");
    require(requests != null && !requests.isEmpty(), "a batch needs at least one request");
    requests = List.copyOf(requests);
    Set<String> ids = new HashSet<>();
    for (GenerationRequest r : requests) {
      require(r.model().equals(model) && r.strategy() == strategy,
          "request " + r.id() + " is " + r.model() + "/" + r.strategy().apiName()
              + ", not " + model + "/" + strategy.apiName());
      require(ids.add(r.id()), "request " + r.id() + " appears twice in batch " + batchId);
    }
  }

  /** Number of requests. */
  public int size() {
    return requests.size();
  }
}
