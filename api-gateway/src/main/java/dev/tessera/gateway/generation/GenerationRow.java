package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationState;
import dev.tessera.decoding.StrategyParams;
import dev.tessera.sampling.SamplingParams;
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
    boolean hasImage) {}
