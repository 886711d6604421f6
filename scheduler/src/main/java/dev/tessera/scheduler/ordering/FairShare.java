package dev.tessera.scheduler.ordering;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Virtual-time counters of weighted tenant fairness (VTC, a weighted-fair-queuing variant). Each
 * tenant has a counter of the decode work it was served, divided by its weight; among tenants with
 * work waiting at the same level, the one with the smallest counter goes next. So under backlog the
 * work served to tenants A and B tends to {@code weight(A) : weight(B)}, whatever their request
 * counts. A tenant that becomes active (had nothing waiting) has its counter lifted to the smallest
 * counter of the active tenants (or, when none is active, to the virtual time of the last dispatch),
 * so idle time cannot be banked as credit to flood others later. Not thread-safe.
 */
public final class FairShare {

  private final Map<String, Double> counters = new HashMap<>();
  /** The smallest active counter seen at the last charge: monotone, the lift for an idle system. */
  private double virtualTime;

  /** The counter of a tenant (0 for one never seen). */
  public double counter(String tenant) {
    return counters.getOrDefault(tenant, 0.0);
  }

  /**
   * Lifts a tenant that just became active.
   *
   * @param tenant the tenant that has work waiting again
   * @param othersActive the other tenants that have work waiting
   */
  public void activate(String tenant, Collection<String> othersActive) {
    double floor = othersActive.stream().filter(t -> !t.equals(tenant))
        .mapToDouble(this::counter).min().orElse(virtualTime);
    counters.put(tenant, Math.max(counter(tenant), floor));
  }

  /** Charges a dispatched request's work to its tenant, scaled by the tenant's weight. */
  public void charge(String tenant, double work, double weight) {
    if (!(weight > 0)) {
      throw new IllegalArgumentException("weight must be positive, was " + weight);
    }
    double before = counter(tenant);
    virtualTime = Math.max(virtualTime, before);
    counters.put(tenant, before + work / weight);
  }

  /** Takes back a charge (a dispatch that failed); the virtual time does not go back. */
  public void refund(String tenant, double work, double weight) {
    if (!(weight > 0)) {
      throw new IllegalArgumentException("weight must be positive, was " + weight);
    }
    counters.put(tenant, Math.max(0, counter(tenant) - work / weight));
  }
}
