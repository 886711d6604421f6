package dev.tessera.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker's meters, driven by the real decode loop over {@link FakeServedModel}. */
class WorkerMetricsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ModelRegistry registry =
      new ModelRegistry(name -> new FakeServedModel(), List.of("fake"), 4);
  private final WorkerMetrics metrics = new WorkerMetrics(meters, registry);

  /** The real decode loop, reporting to {@code sink} and feeding the meters. */
  private void decode(GenerationBatch batch, ResultSink sink) {
    DecodeEngine engine = new DecodeEngine(registry, "worker-test", Clock.fixed(T0, ZoneOffset.UTC),
        id -> false, sink, 0, 0, metrics::imageDecoded);
    engine.submit(batch);
    engine.runUntilIdle();
  }

  @Test
  void gaugesFollowTheDecoderFromNoPoolToFullToDrained() {
    assertThat(gauge("tessera.requests.running")).as("running before any batch").isZero();
    assertThat(gauge("tessera.kv.slots.free")).as("no pool before the first batch").isZero();

    GenerationBatch batch = batch(1, 2, 3);
    List<double[]> seenAtRunning = new ArrayList<>();
    decode(batch, r -> {
      if (r.status() == GenerationState.RUNNING) {
        seenAtRunning.add(new double[] {gauge("tessera.requests.running"),
            gauge("tessera.kv.slots.used"), gauge("tessera.kv.slots.free")});
      }
    });

    assertThat(seenAtRunning).as("one sample per admission").hasSize(3);
    assertThat(seenAtRunning.get(2)).as("running, used, free once all three are admitted")
        .containsExactly(3, 3, 1);
    assertThat(gauge("tessera.requests.running")).as("running after the batch").isZero();
    assertThat(gauge("tessera.kv.slots.used")).as("used after the batch").isZero();
    assertThat(gauge("tessera.kv.slots.free")).as("every slot free after the batch").isEqualTo(4);
  }

  @Test
  void succeededImagesFeedTheDecodeTimeAndTheDraftAndAcceptedCounters() {
    GenerationBatch batch = batch(1, FakeServedModel.REJECTED_CLASS, 2);
    List<GenerationResult> published = new ArrayList<>();

    decode(batch, published::add);
    metrics.imageDecoded("fake", Strategy.SPECULATIVE,
        new DecodeMetrics(60, 40, 60, 180, 140, 4.5, new int[0], 2_000));

    assertThat(published).as("every result still reaches the real sink").hasSize(5);
    assertThat(meters.get("tessera.decode.time").tags("strategy", "ar").timer().count())
        .as("one decode time per SUCCEEDED image, none for the rejected one").isEqualTo(2);
    assertThat(meters.get("tessera.spec.decode.draft.tokens").tags("strategy", "ar").counter()
        .count()).as("plain AR drafts nothing").isZero();
    assertThat(meters.get("tessera.spec.decode.draft.tokens").tags("strategy", "speculative")
        .counter().count()).as("drafted tokens").isEqualTo(180);
    assertThat(meters.get("tessera.spec.decode.accepted.tokens").tags("strategy", "speculative")
        .counter().count()).as("accepted tokens").isEqualTo(140);
    assertThat(meters.get("tessera.decode.time").tags("strategy", "speculative").timer()
        .max(TimeUnit.SECONDS)).as("decode time in seconds").isEqualTo(2.0);
  }

  private double gauge(String name) {
    return meters.get(name).tags("model", "fake").gauge().value();
  }

  private static GenerationBatch batch(int... classes) {
    List<GenerationRequest> requests = Arrays.stream(classes).mapToObj(c ->
        new GenerationRequest(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
            UUID.randomUUID().toString(), "fake", c, Strategy.AR, 5L, SamplingParams.DEFAULT,
            StrategyParams.DEFAULT, Priority.NORMAL, null, 1, T0)).toList();
    return new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR, requests, T0);
  }
}
