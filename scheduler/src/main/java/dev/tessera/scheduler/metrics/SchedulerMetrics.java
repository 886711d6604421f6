package dev.tessera.scheduler.metrics;

import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.scheduler.batching.PendingQueues.WaitingKey;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.springframework.stereotype.Component;

/**
 * What the scheduler shows Prometheus, named after vLLM's series with a {@code tessera_} prefix:
 *
 * <ul>
 *   <li>{@code tessera_requests_waiting{model,priority}}: requests in the pending queue, by the
 *       priority they asked for (vLLM's {@code num_requests_waiting});
 *   <li>{@code tessera_request_queue_time_seconds{model,priority}}: acceptance by the gateway to
 *       first dispatch, once per request (vLLM's {@code request_queue_time_seconds});
 *   <li>{@code tessera_batch_size{model,strategy}}: requests per dispatched batch.
 * </ul>
 */
@Component
public class SchedulerMetrics {

  /** Bucket bounds of the queue time: from one batch wait to minutes of backlog. */
  static final Duration[] QUEUE_TIME_BUCKETS = millis(10, 25, 50, 100, 250, 500, 1_000, 2_500,
      5_000, 10_000, 30_000, 60_000, 120_000, 300_000);
  /** Bucket bounds of the batch size. */
  static final double[] BATCH_SIZE_BUCKETS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};

  private final MeterRegistry registry;
  private final Map<WaitingKey, AtomicInteger> waiting = new ConcurrentHashMap<>();

  public SchedulerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The pending queue as the dispatch loop saw it after planning: the waiting gauges take these
   * counts, and 0 where a model and priority seen before has nothing pending now. The first time a
   * model appears, its gauges for every priority are registered.
   */
  public void queueSampled(Map<WaitingKey, Integer> pending) {
    for (WaitingKey key : pending.keySet()) {
      if (!waiting.containsKey(key)) {
        for (Priority p : Priority.values()) {
          waitingGauge(new WaitingKey(key.model(), p));
        }
      }
    }
    waiting.forEach((key, gauge) -> gauge.set(pending.getOrDefault(key, 0)));
  }

  /**
   * A batch was published to the workers: its size, and the queue time of each request on its first
   * dispatch (a request dispatched again after a failed attempt is not counted twice).
   */
  public void batchDispatched(GenerationBatch batch) {
    DistributionSummary.builder("tessera.batch.size")
        .description("Requests per dispatched batch")
        .tags("model", batch.model(), "strategy", batch.strategy().apiName())
        .serviceLevelObjectives(BATCH_SIZE_BUCKETS)
        .register(registry)
        .record(batch.size());
    for (GenerationRequest r : batch.requests()) {
      if (r.attempt() <= 1) {
        Duration waited = Duration.between(r.queuedAt(), batch.dispatchedAt());
        queueTime(batch.model(), r.priority()).record(waited.isNegative() ? Duration.ZERO : waited);
      }
    }
  }

  private Timer queueTime(String model, Priority priority) {
    return Timer.builder("tessera.request.queue.time")
        .description("Time from acceptance by the gateway to first dispatch")
        .tags("model", model, "priority", priority.apiName())
        .serviceLevelObjectives(QUEUE_TIME_BUCKETS)
        .register(registry);
  }

  private void waitingGauge(WaitingKey key) {
    waiting.computeIfAbsent(key, k -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("tessera.requests.waiting", value, AtomicInteger::get)
          .description("Requests in the scheduler's pending queue")
          .tags("model", k.model(), "priority", k.priority().apiName())
          .register(registry);
      return value;
    });
  }

  private static Duration[] millis(long... values) {
    return LongStream.of(values).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
  }
}
