package dev.tessera.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the scheduler, under {@code tessera.scheduler.*}.
 *
 * @param maxBatchSize most requests in one batch; a group this large is dispatched at once
 * @param maxBatchWait longest a request waits for batch-mates before its group is dispatched anyway
 * @param sweepInterval how often PostgreSQL is swept for QUEUED rows the queue does not hold (a
 *     publish that failed at the gateway, a scheduler that restarted)
 * @param sweepMinAge only rows at least this old are swept up, so the sweep does not race the normal
 *     Kafka path
 * @param publishTimeout how long a dispatch waits for Kafka to acknowledge a batch
 * @param dispatchRetryDelay pause after a failed dispatch before the batch is tried again
 */
@ConfigurationProperties("tessera.scheduler")
public record SchedulerProperties(
    @DefaultValue("8") int maxBatchSize,
    @DefaultValue("100ms") Duration maxBatchWait,
    @DefaultValue("15s") Duration sweepInterval,
    @DefaultValue("10s") Duration sweepMinAge,
    @DefaultValue("5s") Duration publishTimeout,
    @DefaultValue("1s") Duration dispatchRetryDelay) {

  public SchedulerProperties {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("tessera.scheduler.max-batch-size must be >= 1");
    }
  }
}
