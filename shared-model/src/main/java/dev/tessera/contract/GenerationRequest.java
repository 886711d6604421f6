package dev.tessera.contract;

import static dev.tessera.contract.Checks.require;
import static dev.tessera.contract.Checks.requireText;
import static dev.tessera.contract.Checks.requireUuid;

import java.time.Instant;
import java.util.Objects;

/**
 * One accepted generation request, as the gateway publishes it on {@link Topics#REQUESTS} (key: the
 * model) and as the scheduler puts it into batches. It carries everything a worker needs to decode
 * and everything the scheduler needs to order it; PostgreSQL holds the same fields, so the scheduler
 * can rebuild this record from a row.
 *
 * @param id generation id (UUID)
 * @param tenantId owning tenant (UUID)
 * @param apiKeyId the API key it was submitted with (UUID)
 * @param model served model name, e.g. {@code fm-ar}
 * @param classLabel class to condition on (range checked against the model by the gateway)
 * @param strategy decoding strategy
 * @param seed seed of the request's own random stream (chosen by the gateway when absent)
 * @param sampling CFG scale, temperature, top-k, top-p
 * @param strategyParams parameters of the accelerated strategies
 * @param priority scheduling priority
 * @param deadline time by which decoding must start, or null for none
 * @param attempt dispatch attempt: 0 before the first dispatch, then 1, 2, ... (set by the scheduler)
 * @param queuedAt when the gateway accepted it (state QUEUED)
 */
public record GenerationRequest(
    String id,
    String tenantId,
    String apiKeyId,
    String model,
    int classLabel,
    Strategy strategy,
    long seed,
    SamplingParams sampling,
    StrategyParams strategyParams,
    Priority priority,
    Instant deadline,
    int attempt,
    Instant queuedAt) {

  public GenerationRequest {
    requireUuid(id, "id");
    requireUuid(tenantId, "tenant_id");
    requireUuid(apiKeyId, "api_key_id");
    requireText(model, "model");
    require(classLabel >= 0, "class_label must be >= 0, was " + classLabel);
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(sampling, "sampling");
    strategyParams = strategyParams == null ? StrategyParams.DEFAULT : strategyParams;
    priority = priority == null ? Priority.NORMAL : priority;
    require(attempt >= 0, "attempt must be >= 0, was " + attempt);
    Objects.requireNonNull(queuedAt, "queued_at");
  }

  /** The same request for its next dispatch attempt. */
  public GenerationRequest withAttempt(int newAttempt) {
    return new GenerationRequest(id, tenantId, apiKeyId, model, classLabel, strategy, seed, sampling,
        strategyParams, priority, deadline, newAttempt, queuedAt);
  }
}
