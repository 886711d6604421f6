package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;
import static dev.tessera.contract.Checks.requireText;
import static dev.tessera.contract.Checks.requireUuid;

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
 * @param workerId the worker the batch is addressed to (several workers may read one partition of
 *     {@link Topics#BATCHES}; each decodes only its own batches); null: any reader (offline use)
 * @param fencingToken the dispatching scheduler's lease token (0: none). Tokens only grow, so a
 *     worker that has seen token t refuses a batch with a smaller one: the late batch of a deposed
 *     scheduler, whose claim PostgreSQL refused
 */
public record GenerationBatch(
    String batchId, String model, Strategy strategy, List<GenerationRequest> requests,
    Instant dispatchedAt, String workerId, long fencingToken) {

  public GenerationBatch {
    requireUuid(batchId, "batch_id");
    requireText(model, "model");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(dispatchedAt, "dispatched_at");
    require(requests != null && !requests.isEmpty(), "a batch needs at least one request");
    require(workerId == null || !workerId.isBlank(), "worker_id must not be blank");
    require(fencingToken >= 0, "fencing_token must be >= 0");
    requests = List.copyOf(requests);
    Set<String> ids = new HashSet<>();
    for (GenerationRequest r : requests) {
      require(r.model().equals(model) && r.strategy() == strategy,
          "request " + r.id() + " is " + r.model() + "/" + r.strategy().apiName()
              + ", not " + model + "/" + strategy.apiName());
      require(ids.add(r.id()), "request " + r.id() + " appears twice in batch " + batchId);
    }
  }

  /** A batch for any reader, without a fencing token (offline decoding, tests). */
  public GenerationBatch(String batchId, String model, Strategy strategy,
      List<GenerationRequest> requests, Instant dispatchedAt) {
    this(batchId, model, strategy, requests, dispatchedAt, null, 0);
  }

  /** Whether the batch is for {@code worker} (addressed to it, or to any reader). */
  public boolean isFor(String worker) {
    return workerId == null || workerId.equals(worker);
  }

  /** Number of requests. */
  public int size() {
    return requests.size();
  }
}
