package dev.tessera.scheduler.batching;

import dev.tessera.scheduler.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final BatchPolicy policy = new BatchPolicy(4, Duration.ofMillis(100));

  @Test
  void anEmptyGroupIsIdle() {
    assertThat(policy.decide(0, null, clock.instant())).as("nothing queued")
        .isEqualTo(new BatchPolicy.Idle());
  }

  @Test
  void aFullGroupIsDispatchedAtOnceWithoutWaiting() {
    assertThat(policy.decide(4, clock.instant(), clock.instant())).as("exactly full")
        .isEqualTo(new BatchPolicy.Dispatch(4));
    assertThat(policy.decide(9, clock.instant(), clock.instant())).as("more than full: one batch of max size")
        .isEqualTo(new BatchPolicy.Dispatch(4));
  }

  @Test
  void aPartialGroupWaitsUntilItsOldestRequestHasWaitedTheMaximum() {
    Instant oldest = clock.instant();
    clock.advance(Duration.ofMillis(30));

    assertThat(policy.decide(2, oldest, clock.instant())).as("30 ms in: wake at oldest + 100 ms")
        .isEqualTo(new BatchPolicy.WaitUntil(oldest.plusMillis(100)));

    clock.advance(Duration.ofMillis(69));
    assertThat(policy.decide(2, oldest, clock.instant())).as("1 ms before the maximum wait")
        .isInstanceOf(BatchPolicy.WaitUntil.class);

    clock.advance(Duration.ofMillis(1));
    assertThat(policy.decide(2, oldest, clock.instant())).as("at the maximum wait: dispatch what there is")
        .isEqualTo(new BatchPolicy.Dispatch(2));
  }

  @Test
  void aZeroMaximumWaitDispatchesEveryRequestImmediately() {
    BatchPolicy eager = new BatchPolicy(8, Duration.ZERO);

    assertThat(eager.decide(1, clock.instant(), clock.instant())).as("no waiting for batch-mates")
        .isEqualTo(new BatchPolicy.Dispatch(1));
  }

  @Test
  void nonsensicalLimitsAreRejected() {
    assertThatThrownBy(() -> new BatchPolicy(0, Duration.ofMillis(1))).as("batch size 0")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BatchPolicy(1, Duration.ofMillis(-1))).as("negative wait")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
