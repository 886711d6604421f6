package dev.tessera.scheduler;

import dev.tessera.contract.Strategy;
import dev.tessera.scheduler.ordering.WorkCost;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the scheduler, under {@code tessera.scheduler.*}.
 *
 * @param maxBatchSize most requests in one batch; a group this large is dispatched at once
 * @param maxBatchWait longest a request waits for batch-mates before its group is dispatched anyway;
 *     short, because the worker batches continuously (a request that comes a little later joins the
 *     running decode at its next step), so waiting here only adds latency
 * @param workerTimeout silence after which a worker is taken out of rotation and what it held is
 *     re-queued
 * @param sweepInterval how often PostgreSQL is swept for QUEUED rows the queue does not hold (a
 *     publish that failed at the gateway, a scheduler that restarted)
 * @param sweepMinAge only rows at least this old are swept up, so the sweep does not race the normal
 *     Kafka path
 * @param retryPollInterval how often PostgreSQL is read for RETRYING rows whose backoff has passed
 *     (the recorder sets their {@code retry_at}), to be queued again: a retry starts at most this late
 * @param publishTimeout how long a dispatch waits for Kafka to acknowledge a batch
 * @param dispatchRetryDelay pause after a failed dispatch before the batch is tried again
 * @param agingStep waiting time that lifts a request one priority level (low → normal → high), so
 *     low priority is never starved forever
 * @param tokensPerImage tokens of one image, the base unit of decode work in tenant fairness
 * @param modelCost relative cost of one token by model name (default 1.0)
 * @param strategyFactor relative cost of one token by strategy API name (default 1.0)
 * @param id this scheduler instance's id; blank means {@code <host>-<pid>-<random>}
 * @param leaseTtl how long the dispatch lease lasts without renewal: when the active scheduler
 *     dies, a standby takes over this long after its last renewal at most (plus one renewal
 *     interval)
 * @param leaseRenewInterval how often a scheduler renews (or, standing by, tries to take) the lease
 */
@ConfigurationProperties("tessera.scheduler")
public record SchedulerProperties(
    @DefaultValue("8") int maxBatchSize,
    @DefaultValue("5ms") Duration maxBatchWait,
    @DefaultValue("8s") Duration workerTimeout,
    @DefaultValue("15s") Duration sweepInterval,
    @DefaultValue("10s") Duration sweepMinAge,
    @DefaultValue("200ms") Duration retryPollInterval,
    @DefaultValue("5s") Duration publishTimeout,
    @DefaultValue("1s") Duration dispatchRetryDelay,
    @DefaultValue("30s") Duration agingStep,
    @DefaultValue("256") int tokensPerImage,
    Map<String, Double> modelCost,
    Map<String, Double> strategyFactor,
    @DefaultValue("") String id,
    @DefaultValue("5s") Duration leaseTtl,
    @DefaultValue("1s") Duration leaseRenewInterval) {

  public SchedulerProperties {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("tessera.scheduler.max-batch-size must be >= 1");
    }
    if (retryPollInterval.isNegative() || retryPollInterval.isZero()) {
      throw new IllegalArgumentException("tessera.scheduler.retry-poll-interval must be > 0");
    }
    if (leaseRenewInterval.compareTo(leaseTtl) >= 0) {
      throw new IllegalArgumentException(
          "tessera.scheduler.lease-renew-interval must be shorter than lease-ttl");
    }
    modelCost = modelCost == null ? Map.of() : Map.copyOf(modelCost);
    strategyFactor = strategyFactor == null ? Map.of() : Map.copyOf(strategyFactor);
  }

  /** The configured id, or {@code <host>-<pid>-<random>}. */
  public String resolvedId() {
    if (!id.isBlank()) {
      return id;
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "scheduler";
    }
    return host + "-" + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16));
  }

  /** The decode-work measure of tenant fairness. */
  public WorkCost workCost() {
    Map<Strategy, Double> factors = new EnumMap<>(Strategy.class);
    strategyFactor.forEach((name, f) -> factors.put(Strategy.fromApiName(name), f));
    return new WorkCost(tokensPerImage, Map.of(), modelCost, factors);
  }
}
