package dev.tessera.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gateway, under {@code tessera.gateway.*}.
 *
 * @param resultCacheTtl how long a finished generation (status and PNG) stays in Redis; after that
 *     GET reads PostgreSQL and puts it back
 * @param publishTimeout how long the producer tries to deliver an accepted request to Kafka (a POST
 *     does not wait for it: the row is durable, and one that is not delivered is swept up by the
 *     scheduler); a failure opens the breaker that answers 503 until Kafka is back
 * @param kafkaProbeInterval after a failed publish, how often the gateway checks whether Kafka is back
 *     before it accepts new requests again (503 in between)
 * @param recorderMaxRetry how long the result recorder retries a result it cannot store (PostgreSQL
 *     down) before it dead-letters it
 * @param recorderEnabled whether this gateway instance runs the result recorder (consumer group
 *     {@code tessera-recorder}); turn it off for instances that should only serve HTTP
 * @param adminToken the bearer token of the admin API ({@code /admin/**}, and {@code /v1/usage} for
 *     any tenant); unset, the admin API refuses every request. {@code ./tessera serve} makes one
 * @param tenantLimitsTtl how long a gateway instance reuses a tenant's limits read from PostgreSQL
 * @param retry how the result recorder retries a request whose attempt failed retryably
 * @param eventsTimeout the longest a {@code GET /v1/generations/{id}/events} stream stays open; then
 *     the server ends it (a client reconnects and gets the current state first), so no connection
 *     outlives it
 * @param eventsKeepAlive how often an event stream gets a comment line while nothing happens, so
 *     that proxies keep it open and a gone client is noticed
 * @param eventsPollInterval how often a gateway re-reads, from PostgreSQL, the state of every
 *     generation it streams events for: the changes nobody announces on Redis (DISPATCHED and a
 *     re-queue, both made by the scheduler) and any announcement Redis pub/sub lost
 * @param maxBatchRequests the most requests one {@code POST /v1/batches} may hold
 */
@ConfigurationProperties("tessera.gateway")
public record GatewayProperties(
    @DefaultValue("1h") Duration resultCacheTtl,
    @DefaultValue("5s") Duration publishTimeout,
    @DefaultValue("2s") Duration kafkaProbeInterval,
    @DefaultValue("10m") Duration recorderMaxRetry,
    @DefaultValue("true") boolean recorderEnabled,
    String adminToken,
    @DefaultValue("5s") Duration tenantLimitsTtl,
    @DefaultValue Retry retry,
    @DefaultValue("10m") Duration eventsTimeout,
    @DefaultValue("15s") Duration eventsKeepAlive,
    @DefaultValue("1s") Duration eventsPollInterval,
    @DefaultValue("100") int maxBatchRequests) {

  public GatewayProperties {
    if (eventsTimeout.toMillis() <= 0 || eventsKeepAlive.toMillis() <= 0
        || eventsPollInterval.toMillis() <= 0) {
      throw new IllegalArgumentException("tessera.gateway.events-timeout, events-keep-alive and "
          + "events-poll-interval must be positive");
    }
    if (maxBatchRequests < 1) {
      throw new IllegalArgumentException("tessera.gateway.max-batch-requests must be >= 1");
    }
  }

  /**
   * Retries of failed requests, under {@code tessera.gateway.retry.*}. A FAILED result whose error
   * is retryable, for an attempt below {@code maxAttempts}, puts the generation in RETRYING; the
   * scheduler dispatches it again once its backoff has passed. Otherwise it ends FAILED and is
   * dead-lettered.
   *
   * @param maxAttempts dispatches a request gets in all, the first included (attempts are counted
   *     by the scheduler's claim); 1 turns retries off
   * @param backoff wait before the second attempt; each further attempt waits twice as long as the
   *     one before ({@code backoff × 2^(attempt − 1)})
   * @param maxBackoff the longest wait between two attempts
   */
  public record Retry(
      @DefaultValue("3") int maxAttempts,
      @DefaultValue("1s") Duration backoff,
      @DefaultValue("30s") Duration maxBackoff) {

    public Retry {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("tessera.gateway.retry.max-attempts must be >= 1");
      }
      if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
        throw new IllegalArgumentException(
            "tessera.gateway.retry: need 0 <= backoff <= max-backoff");
      }
    }
  }
}
