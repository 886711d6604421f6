package dev.tessera.infra.bench.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order of faults of a chaos run, from a seed: first every kind once (shuffled), so that a run
 * long enough sees each, then kinds drawn at random (kills twice as likely as the rest). A fault
 * begins a random gap after the previous one has recovered, so faults never overlap and a slow
 * recovery shifts what follows rather than piling faults up; the run stops starting faults when the
 * next would not end before the load does.
 */
public final class ChaosSchedule {

  private ChaosSchedule() {}

  /**
   * A seeded schedule, longer than any run needs (the run takes faults from it while time lasts).
   *
   * @param outageSeconds how long a server stays away
   * @param freezeSeconds how long a service stays frozen
   * @param minGapSeconds the shortest pause between faults (the longest is twice it)
   */
  public static List<PlannedFault> seeded(long seed, int outageSeconds, int freezeSeconds,
      double minGapSeconds) {
    Random random = new Random(seed);
    List<FaultKind> order = new ArrayList<>(List.of(FaultKind.values()));
    Collections.shuffle(order, random);
    List<FaultKind> weighted = new ArrayList<>(List.of(FaultKind.values()));
    weighted.addAll(List.of(FaultKind.KILL_GATEWAY, FaultKind.KILL_SCHEDULER,
        FaultKind.KILL_WORKER));
    while (order.size() < 200) {
      order.add(weighted.get(random.nextInt(weighted.size())));
    }
    List<PlannedFault> faults = new ArrayList<>();
    for (FaultKind kind : order) {
      double gap = minGapSeconds * (1 + random.nextDouble());
      faults.add(new PlannedFault(kind, gap, duration(kind, outageSeconds, freezeSeconds),
          random.nextInt(1 << 16)));
    }
    return faults;
  }

  /**
   * Every kind once in a fixed order (outages first, then kills, then freezes), each after {@code
   * gapSeconds}: the short chaos test.
   */
  public static List<PlannedFault> oneOfEach(int outageSeconds, int freezeSeconds,
      double gapSeconds) {
    List<FaultKind> order = List.of(FaultKind.KAFKA_OUTAGE, FaultKind.KILL_WORKER,
        FaultKind.POSTGRESQL_OUTAGE, FaultKind.KILL_SCHEDULER, FaultKind.REDIS_OUTAGE,
        FaultKind.KILL_GATEWAY, FaultKind.FREEZE_WORKER, FaultKind.FREEZE_SCHEDULER);
    return order.stream().map(kind -> new PlannedFault(kind, gapSeconds,
        duration(kind, outageSeconds, freezeSeconds), 0)).toList();
  }

  private static int duration(FaultKind kind, int outageSeconds, int freezeSeconds) {
    if (!kind.lasts()) {
      return 0;
    }
    return kind.server() != null ? outageSeconds : freezeSeconds;
  }
}
