package dev.tessera.infra.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosScheduleTest {

  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    assertThat(ChaosSchedule.seeded(7, 30, 15, 10)).isEqualTo(ChaosSchedule.seeded(7, 30, 15, 10));
    assertThat(ChaosSchedule.seeded(7, 30, 15, 10)).isNotEqualTo(ChaosSchedule.seeded(8, 30, 15,
        10));
  }

  @Test
  void everyKindComesOnceBeforeAnyComesTwice() {
    for (long seed = 0; seed < 20; seed++) {
      List<PlannedFault> faults = ChaosSchedule.seeded(seed, 30, 15, 10);
      EnumSet<FaultKind> first = EnumSet.noneOf(FaultKind.class);
      faults.subList(0, FaultKind.values().length).forEach(f -> first.add(f.kind()));
      assertThat(first).as("seed " + seed).containsExactlyInAnyOrder(FaultKind.values());
    }
  }

  @Test
  void outagesAndFreezesLastTheirSecondsKillsAreInstantAndGapsStayInRange() {
    for (PlannedFault f : ChaosSchedule.seeded(3, 30, 15, 10)) {
      int expected = f.kind().server() != null ? 30 : f.kind().lasts() ? 15 : 0;
      assertThat(f.seconds()).as(f.kind().label()).isEqualTo(expected);
      assertThat(f.gapSeconds()).isBetween(10.0, 20.0);
    }
  }

  @Test
  void theShortScheduleHasOneOutageOfEachServerAndOneKillOfEachService() {
    List<FaultKind> kinds = ChaosSchedule.oneOfEach(5, 8, 1).stream().map(PlannedFault::kind)
        .toList();
    assertThat(kinds).containsExactlyInAnyOrder(FaultKind.values());
  }

  @Test
  void aKillCannotLastAndAnOutageMust() {
    assertThatThrownBy(() -> new PlannedFault(FaultKind.KILL_WORKER, 1, 5, 0))
        .hasMessageContaining("instantaneous");
    assertThatThrownBy(() -> new PlannedFault(FaultKind.KAFKA_OUTAGE, 1, 0, 0))
        .hasMessageContaining("lasts");
  }
}
