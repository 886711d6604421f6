package dev.tessera.gateway.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of webhook delivery, under {@code tessera.gateway.webhooks.*}.
 *
 * @param enabled whether this gateway delivers (polls the outbox); requests are stored either way
 * @param pollInterval how often the outbox is polled for due deliveries
 * @param batchSize most deliveries claimed by one poll
 * @param timeout connect and response timeout of one attempt
 * @param maxAttempts attempts in all before a delivery is given up as failed
 * @param backoff wait after the first failed attempt; attempt n+1 waits {@code backoff × 2^(n−1)}
 *     (or the receiver's Retry-After if longer), at most {@code maxBackoff}
 * @param maxBackoff the longest wait between two attempts
 * @param allowPrivateTargets whether deliveries may go to loopback, private (RFC 1918, IPv6 ULA),
 *     link-local (cloud metadata) and other non-public addresses; off by default (SSRF)
 */
@ConfigurationProperties("tessera.gateway.webhooks")
public record WebhookProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("500ms") Duration pollInterval,
    @DefaultValue("20") int batchSize,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("8") int maxAttempts,
    @DefaultValue("5s") Duration backoff,
    @DefaultValue("1h") Duration maxBackoff,
    @DefaultValue("false") boolean allowPrivateTargets) {

  public WebhookProperties {
    if (pollInterval.toMillis() <= 0 || timeout.toMillis() <= 0 || batchSize < 1
        || maxAttempts < 1 || backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
      throw new IllegalArgumentException("tessera.gateway.webhooks: need poll-interval, timeout > 0, "
          + "batch-size, max-attempts >= 1, 0 <= backoff <= max-backoff");
    }
  }

  /** How long a claimed delivery stays away from other gateways: one attempt and a margin. */
  Duration lease() {
    return timeout.multipliedBy(2).plusSeconds(5);
  }

  /** The wait after failed attempt {@code attempt} (1-based), before any Retry-After. */
  Duration backoffAfter(int attempt) {
    Duration wait = backoff;
    for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
