package dev.tessera.decoding;

import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.util.Objects;

/**
 * One image to decode, as the model library sees it (no tenant, no transport).
 *
 * @param requestId the generation id, used to report and cancel
 * @param classLabel class to condition on, in [0, numClasses)
 * @param seed seed of this request's own random stream
 * @param sampling sampling settings
 * @param strategy decoding strategy
 * @param strategyParams parameters of accelerated strategies
 */
public record DecodeJob(
    String requestId,
    int classLabel,
    long seed,
    SamplingParams sampling,
    Strategy strategy,
    StrategyParams strategyParams) {

  public DecodeJob {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(strategyParams, "strategyParams");
    if (classLabel < 0) {
      throw new IllegalArgumentException("class_label must be >= 0, was " + classLabel);
    }
  }

  /** A plain AR job with default strategy parameters. */
  public static DecodeJob ar(String requestId, int classLabel, long seed, SamplingParams sampling) {
    return new DecodeJob(requestId, classLabel, seed, sampling, Strategy.AR, StrategyParams.DEFAULT);
  }
}
