package dev.tessera.gateway.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant and its limits; a null limit is no limit.
 *
 * @param weight share of decode capacity relative to other tenants (fair scheduling)
 * @param ratePerS requests per second (token bucket)
 * @param maxInFlight requests accepted and not yet finished
 * @param monthlyImages images per calendar month (UTC)
 */
public record Tenant(UUID id, String name, double weight, Double ratePerS, Integer maxInFlight,
    Long monthlyImages, Instant createdAt) {}
