package dev.tessera.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookPropertiesTest {

  @Test
  void theWaitDoublesAfterEachFailedAttemptUpToTheMaximum() {
    WebhookProperties p = new WebhookProperties(true, Duration.ofMillis(500), 20,
        Duration.ofSeconds(10), 8, Duration.ofSeconds(5), Duration.ofSeconds(60), false);
    assertThat(p.backoffAfter(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.backoffAfter(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.backoffAfter(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(p.backoffAfter(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(p.backoffAfter(5)).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.backoffAfter(30)).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.lease()).as("longer than an attempt").isGreaterThan(p.timeout());
  }
}
