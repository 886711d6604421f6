package dev.tessera.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.gateway.limits.LimitExceededException.Limit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class LimitExceededExceptionTest {

  @Test
  void aRefusalCarriesRetryAfterAndTheDraftRateLimitFieldsOfItsPolicy() {
    LimitExceededException e = new LimitExceededException(Limit.RATE, 4, 2L, 1, "slow down");
    assertThat(e.status()).as("status").isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(e.type().uri().toString()).as("type names the limit").endsWith("/rate-limited");
    assertThat(e.headers()).as("headers")
        .containsEntry("Retry-After", "1")
        .containsEntry("RateLimit-Policy", "\"rate\";q=4;w=2")
        .containsEntry("RateLimit", "\"rate\";r=0;t=1");
  }

  @Test
  void aLimitWithoutAWindowHasNoWAndRetryAfterIsAtLeastOneSecond() {
    LimitExceededException e = new LimitExceededException(Limit.IN_FLIGHT, 3, null, 0, "busy");
    assertThat(e.headers()).as("headers")
        .containsEntry("RateLimit-Policy", "\"in-flight\";q=3")
        .containsEntry("Retry-After", "1");
  }
}
