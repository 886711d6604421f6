package dev.tessera.scheduler.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.decoding.Strategy;
import dev.tessera.decoding.StrategyParams;
import dev.tessera.sampling.SamplingParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PendingQueuesTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final PendingQueues queues = new PendingQueues(new BatchPolicy(3, Duration.ofMillis(100)));

  @Test
  void requestsAreGroupedByModelAndStrategyAndDispatchedInArrivalOrder() {
    GenerationRequest a1 = request("fm-ar", Strategy.AR);
    GenerationRequest b1 = request("fm-par4", Strategy.AR);
    GenerationRequest a2 = request("fm-ar", Strategy.AR);
    GenerationRequest s1 = request("fm-ar", Strategy.SPECULATIVE);
    for (GenerationRequest r : List.of(a1, b1, a2, s1)) {
      queues.add(r, clock.instant());
    }

    assertThat(queues.plan(clock.instant()).batches()).as("nothing is due before the maximum wait")
        .isEmpty();
    clock.advance(Duration.ofMillis(100));
    List<List<PendingQueues.Pending>> batches = queues.plan(clock.instant()).batches();

    assertThat(batches).as("one batch per (model, strategy) group").hasSize(3);
    assertThat(batches).as("each batch holds one group, in arrival order")
        .anySatisfy(b -> assertThat(ids(b)).containsExactly(a1.id(), a2.id()))
        .anySatisfy(b -> assertThat(ids(b)).containsExactly(b1.id()))
        .anySatisfy(b -> assertThat(ids(b)).containsExactly(s1.id()));
    assertThat(queues.size()).as("planned batches leave the queue").isZero();
  }

  @Test
  void aFullGroupGoesAtOnceAndTheRestWaitsWithAWakeUpTime() {
    for (int i = 0; i < 4; i++) {
      queues.add(request("fm-ar", Strategy.AR), clock.instant());
      clock.advance(Duration.ofMillis(10));
    }

    PendingQueues.Plan plan = queues.plan(clock.instant());

    assertThat(plan.batches()).as("one full batch of 3").singleElement()
        .satisfies(b -> assertThat(b).hasSize(3));
    assertThat(plan.nextWake()).as("the 4th request is due 100 ms after it arrived")
        .contains(T0.plusMillis(30 + 100));
    assertThat(queues.size()).as("the 4th is still pending").isEqualTo(1);
  }

  @Test
  void aRequestIsPendingOnlyOnceWhicheverPathBringsIt() {
    GenerationRequest r = request("fm-ar", Strategy.AR);

    assertThat(queues.add(r, clock.instant())).as("first arrival (Kafka)").isTrue();
    assertThat(queues.add(r, clock.instant())).as("second arrival (PostgreSQL sweep)").isFalse();
    assertThat(queues.size()).as("held once").isEqualTo(1);
  }

  @Test
  void aFailedDispatchGoesBackToTheFrontOfItsGroup() {
    GenerationRequest first = request("fm-ar", Strategy.AR);
    queues.add(first, clock.instant());
    clock.advance(Duration.ofMillis(100));
    List<PendingQueues.Pending> failed = queues.plan(clock.instant()).batches().get(0);
    GenerationRequest later = request("fm-ar", Strategy.AR);
    queues.add(later, clock.instant());

    queues.restore(failed);
    List<List<PendingQueues.Pending>> retry = queues.plan(clock.instant()).batches();

    assertThat(retry).as("the restored request keeps its age, so its group is due at once")
        .singleElement().satisfies(b -> assertThat(ids(b)).containsExactly(first.id(), later.id()));
  }

  private static List<String> ids(List<PendingQueues.Pending> batch) {
    return batch.stream().map(p -> p.request().id()).toList();
  }

  private static GenerationRequest request(String model, Strategy strategy) {
    return new GenerationRequest(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), model, 1, strategy, 7L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 0, T0);
  }
}
