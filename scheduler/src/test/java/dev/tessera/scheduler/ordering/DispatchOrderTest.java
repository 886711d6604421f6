package dev.tessera.scheduler.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DispatchOrderTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final int BATCH = 8;

  private final FairShare share = new FairShare();
  private final Map<String, Double> weights = new HashMap<>();
  private WorkCost cost = WorkCost.UNIFORM;

  private DispatchOrder order() {
    return new DispatchOrder(new Aging(Duration.ofSeconds(30)), cost, share,
        t -> weights.getOrDefault(t, 1.0));
  }

  @Test
  void highGoesBeforeNormalBeforeLowWhateverTheArrivalOrder() {
    String tenant = Requests.tenant();
    GenerationRequest low = Requests.of(tenant, Priority.LOW, T0);
    GenerationRequest normal = Requests.of(tenant, Priority.NORMAL, T0.plusMillis(1));
    GenerationRequest high = Requests.of(tenant, Priority.HIGH, T0.plusMillis(2));

    List<GenerationRequest> picked = order().pick(List.of(low, normal, high), 3,
        T0.plusMillis(3), Function.identity());

    assertThat(picked).as("strict priority").containsExactly(high, normal, low);
  }

  @Test
  void priorityIsStrictAcrossTenantsEvenForATenantThatWasServedMore() {
    String busy = Requests.tenant();
    String idle = Requests.tenant();
    share.charge(busy, 1_000_000, 1.0);
    GenerationRequest idleNormal = Requests.of(idle, Priority.NORMAL, T0);
    GenerationRequest busyHigh = Requests.of(busy, Priority.HIGH, T0.plusMillis(5));

    List<GenerationRequest> picked = order().pick(List.of(idleNormal, busyHigh), 1,
        T0.plusMillis(10), Function.identity());

    assertThat(picked).as("fairness only orders within a level").containsExactly(busyHigh);
  }

  @Test
  void aLowRequestThatAgedTwoStepsCompetesWithFreshHighWork() {
    String tenant = Requests.tenant();
    GenerationRequest oldLow = Requests.of(tenant, Priority.LOW, T0);
    List<GenerationRequest> candidates = new ArrayList<>(List.of(oldLow));
    for (int i = 0; i < 20; i++) {
      candidates.add(Requests.of(tenant, Priority.HIGH, T0.plusSeconds(59)));
    }

    List<GenerationRequest> before = order().pick(candidates, BATCH, T0.plusSeconds(59),
        Function.identity());
    List<GenerationRequest> after = order().pick(candidates, BATCH, T0.plusSeconds(60),
        Function.identity());

    assertThat(before).as("at 59 s the low request is still normal: behind 20 high ones")
        .doesNotContain(oldLow);
    assertThat(after.get(0)).as("at 60 s it is high and the oldest: first").isEqualTo(oldLow);
  }

  @Test
  void weightedTenantsAreServedWorkInProportionToTheirWeightsUnderBacklog() {
    String light = Requests.tenant();
    String heavy = Requests.tenant();
    weights.put(light, 1.0);
    weights.put(heavy, 3.0);
    List<GenerationRequest> pending = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      pending.add(Requests.of(light, Priority.NORMAL, T0.plusMillis(i)));
      pending.add(Requests.of(heavy, Priority.NORMAL, T0.plusMillis(i)));
    }

    Map<String, Double> served = drain(pending, 50);

    double ratio = served.get(heavy) / served.get(light);
    assertThat(ratio).as("work served heavy:light after 50 batches of 8, weights 3:1")
        .isCloseTo(3.0, within(0.1));
  }

  @Test
  void fairnessCountsDecodeWorkNotRequests() {
    cost = new WorkCost(256, Map.of(), Map.of("big", 4.0), Map.of());
    String big = Requests.tenant();
    String small = Requests.tenant();
    List<GenerationRequest> pending = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      pending.add(Requests.of(big, "big", Priority.NORMAL, T0.plusMillis(i)));
      pending.add(Requests.of(small, "fm-ar", Priority.NORMAL, T0.plusMillis(i)));
    }

    List<GenerationRequest> picked = order().pick(pending, 400, T0.plusSeconds(1),
        Function.identity());

    long bigCount = picked.stream().filter(r -> r.tenantId().equals(big)).count();
    long smallCount = picked.size() - bigCount;
    assertThat((double) smallCount / bigCount)
        .as("equal weights, 4x costlier requests: about 4 small requests per big one")
        .isCloseTo(4.0, within(0.1));
  }

  @Test
  void aLightTenantIsNotStarvedByAHeavyTenantsFlood() {
    String flooder = Requests.tenant();
    String light = Requests.tenant();
    List<GenerationRequest> pending = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      pending.add(Requests.of(flooder, Priority.NORMAL, T0.plusMillis(i)));
    }
    share.activate(flooder, List.of());
    // the flooder has been served for a while when the light tenant's one request arrives
    pending.removeAll(order().pick(pending, 40 * BATCH, T0.plusSeconds(3), Function.identity()));
    GenerationRequest lone = Requests.of(light, Priority.NORMAL, T0.plusSeconds(3));
    share.activate(light, List.of(flooder));
    pending.add(lone);

    List<GenerationRequest> next = order().pick(pending, BATCH, T0.plusSeconds(3),
        Function.identity());

    assertThat(next).as("the light tenant's request is in the very next batch").contains(lone);
  }

  @Test
  void aTenantThatWasIdleCannotBankCreditAndFloodOthersLater() {
    String steady = Requests.tenant();
    String late = Requests.tenant();
    List<GenerationRequest> pending = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      pending.add(Requests.of(steady, Priority.NORMAL, T0.plusMillis(i)));
    }
    share.activate(steady, List.of());
    pending.removeAll(order().pick(pending, 200, T0.plusSeconds(1), Function.identity()));
    for (int i = 0; i < 400; i++) {
      pending.add(Requests.of(late, Priority.NORMAL, T0.plusSeconds(1).plusMillis(i)));
    }
    share.activate(late, List.of(steady));

    List<GenerationRequest> next = order().pick(pending, 40, T0.plusSeconds(2),
        Function.identity());

    long lateCount = next.stream().filter(r -> r.tenantId().equals(late)).count();
    assertThat(lateCount).as("the newcomer gets half of the next 40, not all of them")
        .isBetween(19L, 21L);
  }

  @Test
  void withinATenantAndLevelTheOldestGoesFirst() {
    String tenant = Requests.tenant();
    GenerationRequest first = Requests.of(tenant, Priority.NORMAL, T0);
    GenerationRequest second = Requests.of(tenant, Priority.NORMAL, T0.plusMillis(1));
    GenerationRequest third = Requests.of(tenant, Priority.NORMAL, T0.plusMillis(2));

    assertThat(order().pick(List.of(third, first, second), 3, T0.plusMillis(3),
        Function.identity())).as("FIFO within a tenant").containsExactly(first, second, third);
  }

  /** Picks {@code batches} batches one after another; returns the work served per tenant. */
  private Map<String, Double> drain(List<GenerationRequest> pending, int batches) {
    Map<String, Double> served = new HashMap<>();
    List<GenerationRequest> left = new ArrayList<>(pending);
    for (int b = 0; b < batches; b++) {
      List<GenerationRequest> batch = order().pick(left, BATCH, T0.plusSeconds(5),
          Function.identity());
      left.removeAll(batch);
      for (GenerationRequest r : batch) {
        served.merge(r.tenantId(), cost.of(r), Double::sum);
      }
    }
    return served;
  }
}
