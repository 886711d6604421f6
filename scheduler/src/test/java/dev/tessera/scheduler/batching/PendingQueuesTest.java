package dev.tessera.scheduler.batching;

import dev.tessera.scheduler.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

  @Test
  void aDueGroupFillsItsBatchInPolicyOrderHighFirst() {
    String tenant = UUID.randomUUID().toString();
    for (int i = 0; i < 5; i++) {
      queues.add(request(tenant, Priority.LOW, null), clock.instant());
    }
    GenerationRequest high = request(tenant, Priority.HIGH, null);
    queues.add(high, clock.instant());

    List<List<PendingQueues.Pending>> batches = queues.plan(clock.instant()).batches();

    assertThat(batches).as("six pending, batches of 3: two full batches at once").hasSize(2);
    assertThat(ids(batches.get(0)).get(0)).as("the high request leads the first batch, though last in")
        .isEqualTo(high.id());
  }

  @Test
  void aRequestWhoseDeadlinePassedLeavesAsExpiredAndIsNeverBatched() {
    GenerationRequest late = request(UUID.randomUUID().toString(), Priority.NORMAL,
        T0.plusMillis(50));
    GenerationRequest onTime = request(UUID.randomUUID().toString(), Priority.NORMAL,
        T0.plusSeconds(5));
    queues.add(late, clock.instant());
    queues.add(onTime, clock.instant());

    PendingQueues.Plan early = queues.plan(clock.instant());
    clock.advance(Duration.ofMillis(50));
    PendingQueues.Plan atDeadline = queues.plan(clock.instant());
    clock.advance(Duration.ofMillis(50));
    PendingQueues.Plan due = queues.plan(clock.instant());

    assertThat(early.nextWake()).as("wake at the first deadline, before the batch wait")
        .contains(T0.plusMillis(50));
    assertThat(atDeadline.expired()).as("expired at its deadline").singleElement()
        .satisfies(p -> assertThat(p.request().id()).isEqualTo(late.id()));
    assertThat(due.batches()).as("only the on-time request is batched").singleElement()
        .satisfies(b -> assertThat(ids(b)).containsExactly(onTime.id()));
    assertThat(queues.size()).as("nothing left").isZero();
  }

  @Test
  void aCancelledRequestIsRemovedAndNeverBatched() {
    GenerationRequest kept = request("fm-ar", Strategy.AR);
    GenerationRequest cancelled = request("fm-ar", Strategy.AR);
    queues.add(kept, clock.instant());
    queues.add(cancelled, clock.instant());

    assertThat(queues.remove(cancelled.id())).as("it was pending").isPresent();
    assertThat(queues.remove(cancelled.id())).as("a second removal finds nothing").isEmpty();
    clock.advance(Duration.ofMillis(100));

    assertThat(queues.plan(clock.instant()).batches()).as("only the other one is dispatched")
        .singleElement().satisfies(b -> assertThat(ids(b)).containsExactly(kept.id()));
  }

  @Test
  void aLightTenantsRequestJoinsTheNextBatchDespiteAFloodQueuedBeforeIt() {
    String flooder = UUID.randomUUID().toString();
    for (int i = 0; i < 30; i++) {
      queues.add(request(flooder, Priority.NORMAL, null), clock.instant());
    }
    queues.plan(clock.instant()); // 30 dispatched: the flooder's counter is 30 images ahead
    for (int i = 0; i < 30; i++) {
      queues.add(request(flooder, Priority.NORMAL, null), clock.instant());
    }
    GenerationRequest light = request(UUID.randomUUID().toString(), Priority.NORMAL, null);
    queues.add(light, clock.instant());

    List<List<PendingQueues.Pending>> batches = queues.plan(clock.instant()).batches();

    assertThat(ids(batches.get(0))).as("first batch after the flood arrived holds the light one")
        .contains(light.id());
  }

  @Test
  void noBatchIsLargerThanTheRoomWorkersHaveAndNothingGoesWithoutRoom() {
    for (int i = 0; i < 5; i++) {
      queues.add(request("fm-ar", Strategy.AR), clock.instant());
    }

    assertThat(queues.plan(clock.instant(), (model, high) -> 0).batches()).as("no room: nothing dispatched")
        .isEmpty();
    List<List<PendingQueues.Pending>> batches = queues.plan(clock.instant(), (model, high) -> 2).batches();

    assertThat(batches).as("room for two: one batch of two, at once (it cannot grow)")
        .singleElement().satisfies(b -> assertThat(b).hasSize(2));
    assertThat(queues.size()).as("the rest waits here, where it can still be reordered")
        .isEqualTo(3);
  }

  @Test
  void groupsCompetingForTheSameWorkerAreServedMostUrgentFirst() {
    GenerationRequest low = request("fm-ar", Strategy.AR, Priority.LOW);
    GenerationRequest high = request("fm-ar", Strategy.SPECULATIVE, Priority.HIGH);
    queues.add(low, clock.instant());
    clock.advance(Duration.ofMillis(1));
    queues.add(high, clock.instant());
    clock.advance(Duration.ofMillis(200));

    List<List<PendingQueues.Pending>> batches = queues.plan(clock.instant(), (model, urgent) -> 1).batches();

    assertThat(batches).as("one slot: the high-priority group gets it though it came later")
        .singleElement().satisfies(b -> assertThat(ids(b)).containsExactly(high.id()));
  }

  @Test
  void whenOnlyTheHighPriorityReserveIsLeftOnlyHighPriorityRequestsGoAndAtOnce() {
    GenerationRequest low = request("fm-ar", Strategy.AR, Priority.LOW);
    GenerationRequest high = request("fm-ar", Strategy.AR, Priority.HIGH);
    queues.add(low, clock.instant());
    queues.add(high, clock.instant());

    List<List<PendingQueues.Pending>> batches = queues.plan(clock.instant(),
        (model, urgent) -> urgent ? 2 : 0).batches();

    assertThat(batches).as("the high one takes the reserve without waiting for batch-mates")
        .singleElement().satisfies(b -> assertThat(ids(b)).containsExactly(high.id()));
    assertThat(queues.contains(low.id())).as("the low one waits for ordinary room").isTrue();
  }

  private static GenerationRequest request(String model, Strategy strategy, Priority priority) {
    return new GenerationRequest(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), model, 1, strategy, 7L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, priority, null, 0, T0);
  }

  @Test
  void waitingCountsFollowRequestsInAndOutOfTheQueueByModelAndPriority() {
    GenerationRequest high = request(UUID.randomUUID().toString(), Priority.HIGH, null);
    GenerationRequest low = request(UUID.randomUUID().toString(), Priority.LOW, null);
    queues.add(high, clock.instant());
    queues.add(low, clock.instant());
    queues.add(request("fm-par4", Strategy.PAR), clock.instant());
    queues.add(high, clock.instant()); // a duplicate is not counted twice

    assertThat(queues.waiting()).as("one entry per model and priority with requests pending")
        .containsOnly(
            Map.entry(new PendingQueues.WaitingKey("fm-ar", Priority.HIGH), 1),
            Map.entry(new PendingQueues.WaitingKey("fm-ar", Priority.LOW), 1),
            Map.entry(new PendingQueues.WaitingKey("fm-par4", Priority.NORMAL), 1));

    queues.remove(low.id());
    clock.advance(Duration.ofMillis(100));
    List<PendingQueues.Pending> dispatched = queues.plan(clock.instant()).batches().get(0);
    assertThat(queues.waiting()).as("cancelled and dispatched requests are no longer waiting")
        .isEmpty();

    queues.restore(dispatched);
    assertThat(queues.waiting().values().stream().mapToInt(Integer::intValue).sum())
        .as("a batch whose dispatch failed is waiting again").isEqualTo(dispatched.size());
  }

  private static List<String> ids(List<PendingQueues.Pending> batch) {
    return batch.stream().map(p -> p.request().id()).toList();
  }

  private static GenerationRequest request(String tenant, Priority priority, Instant deadline) {
    return new GenerationRequest(UUID.randomUUID().toString(), tenant,
        UUID.randomUUID().toString(), "fm-ar", 1, Strategy.AR, 7L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, priority, deadline, 0, T0);
  }

  private static GenerationRequest request(String model, Strategy strategy) {
    return new GenerationRequest(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), model, 1, strategy, 7L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 0, T0);
  }
}
