package dev.tessera.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.scheduler.batching.PendingQueues.WaitingKey;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SchedulerMetrics metrics = new SchedulerMetrics(registry);

  @Test
  void waitingGaugesTakeTheSampledCountsForEveryPriorityAndFallToZeroWhenTheQueueEmpties() {
    metrics.queueSampled(Map.of(new WaitingKey("fm-ar", Priority.HIGH), 2,
        new WaitingKey("fm-ar", Priority.NORMAL), 5));

    assertThat(waiting("fm-ar", "high")).as("high priority waiting").isEqualTo(2);
    assertThat(waiting("fm-ar", "normal")).as("normal priority waiting").isEqualTo(5);
    assertThat(waiting("fm-ar", "low")).as("a priority with nothing pending reads 0, not absent")
        .isZero();

    metrics.queueSampled(Map.of(new WaitingKey("fm-par4", Priority.LOW), 1));

    assertThat(waiting("fm-ar", "high")).as("a model whose queue emptied falls to 0").isZero();
    assertThat(waiting("fm-ar", "normal")).as("every priority of it").isZero();
    assertThat(waiting("fm-par4", "low")).as("a model seen for the first time").isEqualTo(1);
  }

  @Test
  void aDispatchedBatchRecordsItsSizeAndTheQueueTimeOfFirstAttemptsOnly() {
    Instant dispatchedAt = T0.plusSeconds(3);
    GenerationBatch batch = new GenerationBatch(UUID.randomUUID().toString(), "fm-ar",
        Strategy.AR, List.of(request(T0, 1), request(T0.plusSeconds(1), 1), request(T0, 2)),
        dispatchedAt);

    metrics.batchDispatched(batch);

    DistributionSummary size = registry.get("tessera.batch.size")
        .tags("model", "fm-ar", "strategy", "ar").summary();
    assertThat(size.count()).as("one batch").isEqualTo(1);
    assertThat(size.totalAmount()).as("of three requests").isEqualTo(3.0);
    Timer queue = registry.get("tessera.request.queue.time")
        .tags("model", "fm-ar", "priority", "normal").timer();
    assertThat(queue.count()).as("the second attempt is not a new wait").isEqualTo(2);
    assertThat(queue.totalTime(TimeUnit.SECONDS)).as("3 s + 2 s in the queue").isEqualTo(5.0);
    assertThat(bucket(queue, 2.5)).as("SLO bucket le=2.5s holds the 2 s wait").isEqualTo(1);
    assertThat(bucket(queue, 5.0)).as("SLO bucket le=5s holds both").isEqualTo(2);
  }

  private double waiting(String model, String priority) {
    return registry.get("tessera.requests.waiting").tags("model", model, "priority", priority)
        .gauge().value();
  }

  private static double bucket(Timer timer, double seconds) {
    return Arrays.stream(timer.takeSnapshot().histogramCounts())
        .filter(b -> b.bucket(TimeUnit.SECONDS) == seconds)
        .mapToDouble(CountAtBucket::count)
        .findFirst().orElseThrow(() -> new AssertionError("no bucket at " + seconds + " s"));
  }

  private static GenerationRequest request(Instant queuedAt, int attempt) {
    return new GenerationRequest(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), "fm-ar", 1, Strategy.AR, 7L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, attempt, queuedAt);
  }
}
