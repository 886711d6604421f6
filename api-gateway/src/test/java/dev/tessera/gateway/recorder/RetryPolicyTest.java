package dev.tessera.gateway.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Failure TRANSIENT = Failure.transientFault("decode_error", "step failed");
  private static final Failure PERMANENT = Failure.permanent("invalid_request", "bad label");

  private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1),
      Duration.ofSeconds(30));

  @Test
  void theBackoffDoublesFromTheBaseAndIsCapped() {
    assertThat(policy.backoffAfter(1)).as("after attempt 1: the base")
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoffAfter(2)).as("after attempt 2: twice")
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoffAfter(3)).as("after attempt 3").isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.backoffAfter(5)).as("after attempt 5").isEqualTo(Duration.ofSeconds(16));
    assertThat(policy.backoffAfter(6)).as("2^5 s is over the cap")
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.backoffAfter(10_000)).as("no overflow however many attempts")
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(new RetryPolicy(5, Duration.ZERO, Duration.ZERO).backoffAfter(4))
        .as("a zero backoff stays zero").isZero();
    assertThatThrownBy(() -> policy.backoffAfter(0)).as("attempts start at 1")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRetryableFailureWithAttemptsLeftIsRetriedAfterItsBackoff() {
    assertThat(policy.decide(GenerationState.RUNNING, 1, failed(1, TRANSIENT), T0))
        .as("attempt 1 of 3, running").isEqualTo(new RetryPolicy.Retry(T0.plusSeconds(1)));
    assertThat(policy.decide(GenerationState.DISPATCHED, 2, failed(2, TRANSIENT), T0))
        .as("attempt 2 of 3, failed before it ran")
        .isEqualTo(new RetryPolicy.Retry(T0.plusSeconds(2)));
  }

  @Test
  void aFailureEndsFailedWhenNotRetryableOrOutOfAttempts() {
    assertThat(policy.decide(GenerationState.RUNNING, 1, failed(1, PERMANENT), T0))
        .as("not retryable: at once").isEqualTo(new RetryPolicy.Fail(false));
    assertThat(policy.decide(GenerationState.RUNNING, 3, failed(3, TRANSIENT), T0))
        .as("retryable, but attempt 3 of 3").isEqualTo(new RetryPolicy.Fail(true));
    assertThat(new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1))
        .decide(GenerationState.RUNNING, 1, failed(1, TRANSIENT), T0))
        .as("max-attempts 1: no retries").isEqualTo(new RetryPolicy.Fail(true));
  }

  @Test
  void duplicateAndLateFailuresAreIgnored() {
    assertThat(policy.decide(GenerationState.RETRYING, 1, failed(1, TRANSIENT), T0))
        .as("the failure that made it RETRYING, delivered again")
        .isInstanceOf(RetryPolicy.Ignore.class);
    assertThat(policy.decide(GenerationState.RETRYING, 1, failed(1, PERMANENT), T0))
        .as("even a permanent one: that attempt is already decided")
        .isInstanceOf(RetryPolicy.Ignore.class);
    assertThat(policy.decide(GenerationState.DISPATCHED, 2, failed(1, TRANSIENT), T0))
        .as("a lower attempt than the row's").isInstanceOf(RetryPolicy.Ignore.class);
    assertThat(policy.decide(GenerationState.RUNNING, 2, failed(3, TRANSIENT), T0))
        .as("an attempt the row never reached").isInstanceOf(RetryPolicy.Ignore.class);
    assertThat(policy.decide(GenerationState.QUEUED, 1, failed(1, TRANSIENT), T0))
        .as("re-queued (its worker was lost): the next dispatch decides")
        .isInstanceOf(RetryPolicy.Ignore.class);
    for (GenerationState terminal : GenerationState.terminal()) {
      assertThat(policy.decide(terminal, 3, failed(3, TRANSIENT), T0))
          .as("terminal " + terminal).isInstanceOf(RetryPolicy.Ignore.class);
    }
  }

  @Test
  void onlyFailedResultsAreDecided() {
    GenerationResult cancelled = GenerationResult.withdrawn(UUID.randomUUID().toString(),
        GenerationState.CANCELLED, 1, T0, Failure.permanent("cancelled", "by the client"));
    assertThatThrownBy(() -> policy.decide(GenerationState.RUNNING, 1, cancelled, T0))
        .as("CANCELLED is not a failure to retry").isInstanceOf(IllegalArgumentException.class);
  }

  private static GenerationResult failed(int attempt, Failure failure) {
    GenerationRequest request = new GenerationRequest(UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), UUID.randomUUID().toString(), "fm-ar", 1, Strategy.AR, 7L,
        SamplingParams.DEFAULT, StrategyParams.DEFAULT, Priority.NORMAL, null, attempt, T0);
    return GenerationResult.failed(request, UUID.randomUUID().toString(), "worker-1", T0, T0,
        failure);
  }
}
