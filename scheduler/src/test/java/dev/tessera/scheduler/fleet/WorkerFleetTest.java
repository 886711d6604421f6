package dev.tessera.scheduler.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerFleetTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final ModelDescriptor AR = new ModelDescriptor("fm-ar", 16, 256, 10, 512,
      List.of(Strategy.AR), 0);

  private final WorkerFleet fleet = new WorkerFleet(Duration.ofSeconds(6));

  @Test
  void roomIsCapacityMinusWhatTheSchedulerDispatchedAndNotYetSawFinish() {
    fleet.onHeartbeat(heartbeat("w1", T0, 4, false), T0);

    assertThat(fleet.room("fm-ar")).as("empty worker, less its high-priority reserve").isEqualTo(3);
    fleet.assign("w1", List.of("a", "b", "c"));
    assertThat(fleet.room("fm-ar")).as("three dispatched: only the reserve left").isZero();
    assertThat(fleet.room("fm-ar", true)).as("which high-priority work may take").isEqualTo(1);
    fleet.finished("b", T0);
    assertThat(fleet.room("fm-ar")).as("one finished").isEqualTo(1);
    assertThat(fleet.room("fm-par4")).as("a model nobody serves has no room").isZero();
  }

  @Test
  void aBatchGoesToTheWorkerWithTheMostRoomOnOneOfItsPartitions() {
    fleet.onHeartbeat(heartbeat("w1", T0, 4, false), T0);
    fleet.onHeartbeat(new WorkerHeartbeat("w2", T0, Duration.ofSeconds(2), List.of(AR), Map.of(),
        false, 4, List.of(2), 0), T0);
    fleet.assign("w1", List.of("a", "b"));

    WorkerFleet.Target target = fleet.target("fm-ar").orElseThrow();

    assertThat(target.workerId()).as("w2 has more room").isEqualTo("w2");
    assertThat(target.partition()).as("its partition").isEqualTo(2);
    assertThat(target.free()).as("its room").isEqualTo(4);
    assertThat(fleet.target("fm-ar", true).orElseThrow().free()).as("w1's 2 + reserve 1 < 4")
        .isEqualTo(4);
  }

  @Test
  void aSilentWorkerIsTakenOutOfRotationAndALeavingOneAtOnce() {
    fleet.onHeartbeat(heartbeat("w1", T0, 4, false), T0);
    fleet.onHeartbeat(heartbeat("w2", T0, 4, false), T0);
    fleet.onHeartbeat(heartbeat("w1", T0.plusSeconds(5), 4, false), T0.plusSeconds(5));

    assertThat(fleet.removeGone(T0.plusSeconds(6))).as("not yet past the timeout").isEmpty();
    assertThat(fleet.removeGone(T0.plusSeconds(7))).as("w2 silent 7 s").containsExactly("w2");
    assertThat(fleet.onHeartbeat(heartbeat("w1", T0.plusSeconds(8), 4, true), T0.plusSeconds(8)))
        .as("leaving is reported").isTrue();
    assertThat(fleet.size()).as("nobody left").isZero();
    assertThat(fleet.room("fm-ar")).as("no room without workers").isZero();
  }

  @Test
  void aReplayedOldHeartbeatDoesNotReviveAWorker() {
    fleet.onHeartbeat(heartbeat("w1", T0, 4, false), T0.plusSeconds(30));

    assertThat(fleet.removeGone(T0.plusSeconds(30))).as("its last word is 30 s old")
        .containsExactly("w1");
  }

  @Test
  void reconciliationTakesPostgresqlsViewButNotRequestsThatJustFinished() {
    fleet.onHeartbeat(heartbeat("w1", T0, 4, false), T0);
    fleet.finished("done", T0);

    fleet.reconcile(Map.of("a", "w1", "done", "w1", "x", "gone-worker"));

    assertThat(fleet.holding("w1")).as("a only: done finished a moment ago").isEqualTo(1);
    assertThat(fleet.orphanHolders(T0)).as("a worker that is not live but holds requests")
        .containsExactly("gone-worker");
    fleet.forget("gone-worker");
    assertThat(fleet.orphanHolders(T0)).as("forgotten once re-queued").isEmpty();
  }

  @Test
  void aWorkerThatJustLeftIsNoOrphanUntilItsLateResultsHadTimeToArrive() {
    fleet.onHeartbeat(heartbeat("w1", T0, 4, false), T0);
    fleet.onHeartbeat(heartbeat("w1", T0.plusSeconds(1), 4, true), T0.plusSeconds(1));
    fleet.reconcile(Map.of("finished-there", "w1"));

    assertThat(fleet.orphanHolders(T0.plusSeconds(2)))
        .as("just left: its result for finished-there may be on the way").isEmpty();
    assertThat(fleet.orphanHolders(T0.plusSeconds(60)))
        .as("long gone: what it still holds is queued again").containsExactly("w1");
  }

  @Test
  void aTenantHoldsWhileItsRequestsAreOnAWorkerAndNotAfter() {
    fleet.onHeartbeat(heartbeat("w1", T0, 4, false), T0);
    dev.tessera.contract.GenerationRequest r = new dev.tessera.contract.GenerationRequest(
        java.util.UUID.randomUUID().toString(), java.util.UUID.randomUUID().toString(),
        java.util.UUID.randomUUID().toString(), "fm-ar", 1, Strategy.AR, 7L,
        dev.tessera.contract.SamplingParams.DEFAULT, dev.tessera.contract.StrategyParams.DEFAULT,
        dev.tessera.contract.Priority.NORMAL, null, 0, T0);

    fleet.assignRequests("w1", List.of(r));
    assertThat(fleet.holdsFor(r.tenantId())).as("dispatched").isTrue();
    fleet.finished(r.id(), T0);
    assertThat(fleet.holdsFor(r.tenantId())).as("finished").isFalse();
  }

  private static WorkerHeartbeat heartbeat(String id, Instant sentAt, int capacity,
      boolean leaving) {
    return new WorkerHeartbeat(id, sentAt, Duration.ofSeconds(2), List.of(AR), Map.of(), leaving,
        capacity, List.of(0, 1), 1);
  }
}
