package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code generations} without its image bytes.
 *
 * @param hasImage whether {@code image_png} is set
 */
public record GenerationRow(
    UUID id,
    UUID tenantId,
    UUID apiKeyId,
    String model,
    String strategy,
    int classLabel,
    long seed,
    SamplingParams sampling,
    StrategyParams strategyParams,
    String priority,
    Instant deadline,
    GenerationState state,
    int attempt,
    UUID batchId,
    String workerId,
    GenerationView.Timestamps timestamps,
    GenerationView.Metrics metrics,
    GenerationView.Latency latency,
    String errorCode,
    String errorMessage,
    boolean hasImage) {

  /** The wire request the row holds, at its current attempt: what the scheduler dispatches. */
  public GenerationRequest toRequest() {
    return new GenerationRequest(id.toString(), tenantId.toString(), apiKeyId.toString(), model,
        classLabel, Strategy.fromApiName(strategy), seed, sampling, strategyParams,
        Priority.fromApiName(priority), deadline, attempt, timestamps.queuedAt());
  }
}
