package dev.tessera.worker.metrics;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.Strategy;
import dev.tessera.worker.engine.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.LongStream;

/**
 * What a worker shows Prometheus, named after vLLM's series with a {@code tessera_} prefix:
 *
 * <ul>
 *   <li>{@code tessera_requests_running{model}}: requests admitted into the decode loop (vLLM's
 *       {@code num_requests_running});
 *   <li>{@code tessera_kv_slots_used}, {@code tessera_kv_slots_free{model,strategy}}: rows of the
 *       target's KV pool of each (model, strategy) decoder; both 0 until the group's first batch
 *       allocates its pool (vLLM's {@code kv_cache_usage_perc} is used / (used + free));
 *   <li>{@code tessera_decode_time_seconds{model,strategy}}: admission to last token of each
 *       finished image;
 *   <li>{@code tessera_spec_decode_draft_tokens_total}, {@code
 *       tessera_spec_decode_accepted_tokens_total{model,strategy}}: tokens the drafter proposed and
 *       the target accepted, over finished images (acceptance rate = accepted / draft).
 * </ul>
 *
 * The gauges are read from the {@link ModelRegistry} when Prometheus scrapes; the rest is fed by
 * {@link #imageDecoded}.
 */
public final class WorkerMetrics {

  /** Bucket bounds of the decode time of one image. */
  static final Duration[] DECODE_TIME_BUCKETS = millis(50, 100, 250, 500, 1_000, 2_500, 5_000,
      10_000, 20_000, 30_000, 60_000, 120_000);

  private final MeterRegistry registry;

  /** Registers the gauges of every model and strategy {@code models} serves. */
  public WorkerMetrics(MeterRegistry registry, ModelRegistry models) {
    this.registry = registry;
    models.served().forEach((model, strategies) -> {
      Gauge.builder("tessera.requests.running", models,
              m -> sum(m, model, strategies, ModelRegistry.Load::running))
          .description("Requests admitted into the worker's decode loop")
          .tag("model", model)
          .register(registry);
      for (Strategy s : strategies) {
        Gauge.builder("tessera.kv.slots.used", models,
                m -> sum(m, model, Set.of(s), ModelRegistry.Load::usedSlots))
            .description("KV cache rows leased in the target's pool of a decoder")
            .tags("model", model, "strategy", s.apiName())
            .register(registry);
        Gauge.builder("tessera.kv.slots.free", models,
                m -> sum(m, model, Set.of(s), ModelRegistry.Load::freeSlots))
            .description("KV cache rows free in the target's pool of a decoder")
            .tags("model", model, "strategy", s.apiName())
            .register(registry);
      }
    });
  }

  /**
   * An image finished decoding: its decode time, and its drafted and accepted tokens (0 for
   * strategies without a drafter). Called for SUCCEEDED results only, on the decode thread.
   */
  public void imageDecoded(String model, Strategy strategy, DecodeMetrics metrics) {
    String s = strategy.apiName();
    Timer.builder("tessera.decode.time")
        .description("Decode time of one image, admission to last token")
        .tags("model", model, "strategy", s)
        .serviceLevelObjectives(DECODE_TIME_BUCKETS)
        .register(registry)
        .record(metrics.decodeMillis(), TimeUnit.MILLISECONDS);
    Counter.builder("tessera.spec.decode.draft.tokens")
        .description("Tokens proposed by the drafter, over finished images")
        .tags("model", model, "strategy", s)
        .register(registry)
        .increment(metrics.draftedTokens());
    Counter.builder("tessera.spec.decode.accepted.tokens")
        .description("Drafted tokens the target accepted, over finished images")
        .tags("model", model, "strategy", s)
        .register(registry)
        .increment(metrics.acceptedTokens());
  }

  private static double sum(ModelRegistry models, String model, Set<Strategy> strategies,
      ToIntFunction<ModelRegistry.Load> field) {
    int total = 0;
    for (Strategy s : strategies) {
      total += models.load(model, s).map(field::applyAsInt).orElse(0);
    }
    return total;
  }

  private static Duration[] millis(long... values) {
    return LongStream.of(values).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
  }
}
