package dev.tessera.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gateway, under {@code tessera.gateway.*}.
 *
 * @param resultCacheTtl how long a finished generation (status and PNG) stays in Redis; after that
 *     GET reads PostgreSQL and puts it back
 * @param publishTimeout how long a POST waits for Kafka to acknowledge the request before it answers
 *     anyway (the row is durable and the scheduler sweeps it up)
 * @param kafkaProbeInterval after a failed publish, how often the gateway checks whether Kafka is back
 *     before it accepts new requests again (503 in between)
 * @param recorderMaxRetry how long the result recorder retries a result it cannot store (PostgreSQL
 *     down) before it dead-letters it
 * @param recorderEnabled whether this gateway instance runs the result recorder (consumer group
 *     {@code tessera-recorder}); turn it off for instances that should only serve HTTP
 * @param adminToken the bearer token of the admin API ({@code /admin/**}, and {@code /v1/usage} for
 *     any tenant); unset, the admin API refuses every request. {@code ./tessera serve} makes one
 * @param tenantLimitsTtl how long a gateway instance reuses a tenant's limits read from PostgreSQL
 */
@ConfigurationProperties("tessera.gateway")
public record GatewayProperties(
    @DefaultValue("1h") Duration resultCacheTtl,
    @DefaultValue("5s") Duration publishTimeout,
    @DefaultValue("2s") Duration kafkaProbeInterval,
    @DefaultValue("10m") Duration recorderMaxRetry,
    @DefaultValue("true") boolean recorderEnabled,
    String adminToken,
    @DefaultValue("5s") Duration tenantLimitsTtl) {}
