package dev.tessera.gateway.limits;

/**
 * A tenant's limits as enforced; null is no limit.
 *
 * @param ratePerS requests per second (token bucket)
 * @param maxInFlight accepted requests not yet terminal
 * @param monthlyImages images per calendar month (UTC)
 */
record TenantLimits(Double ratePerS, Integer maxInFlight, Long monthlyImages) {

  static final TenantLimits NONE = new TenantLimits(null, null, null);
}
