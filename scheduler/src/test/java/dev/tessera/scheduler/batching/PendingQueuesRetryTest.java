package dev.tessera.scheduler.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A request that comes back for a retry after its dispatch is a new pending request. */
class PendingQueuesRetryTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void aDispatchedRequestIsAcceptedAgainForItsRetryButNotTwiceWhilePending() {
    PendingQueues queues = new PendingQueues(new BatchPolicy(4, Duration.ofMillis(10)));
    GenerationRequest request = new GenerationRequest(UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), UUID.randomUUID().toString(), "fm-ar", 1, Strategy.AR, 7L,
        SamplingParams.DEFAULT, StrategyParams.DEFAULT, Priority.NORMAL, null, 0, T0);

    assertThat(queues.add(request, T0)).as("first arrival").isTrue();
    List<List<PendingQueues.Pending>> first = queues.plan(T0.plusMillis(10)).batches();
    boolean retry = queues.add(request.withAttempt(1), T0.plusSeconds(2));
    boolean duplicate = queues.add(request.withAttempt(1), T0.plusSeconds(2));
    List<List<PendingQueues.Pending>> second = queues.plan(T0.plusSeconds(3)).batches();

    assertThat(first).as("dispatched once").hasSize(1);
    assertThat(retry).as("the queue does not remember dispatched ids").isTrue();
    assertThat(duplicate).as("but holds each pending id once").isFalse();
    assertThat(second).as("dispatched again, alone").singleElement()
        .satisfies(b -> assertThat(b).extracting(p -> p.request().attempt()).containsExactly(1));
  }
}
