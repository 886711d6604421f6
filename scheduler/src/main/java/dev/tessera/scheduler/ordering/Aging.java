package dev.tessera.scheduler.ordering;

import dev.tessera.contract.Priority;
import java.time.Duration;
import java.time.Instant;

/**
 * The aging rule: a request's effective level rises one step (low → normal → high) for every full
 * {@code step} it has waited since the gateway accepted it. Levels are strict, so high beats normal
 * beats low; with aging a low request waits at most {@code 2 × step} before it competes with fresh
 * high-priority work (then oldest first within its tenant, by fairness across tenants), so it is never
 * starved forever. Level 0 is the most urgent.
 *
 * @param step waiting time that lifts a request by one level; must be positive
 */
public record Aging(Duration step) {

  public Aging {
    if (step == null || step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("aging step must be positive, was " + step);
    }
  }

  /** The base level of a priority: high 0, normal 1, low 2. */
  public static int baseLevel(Priority priority) {
    return priority.ordinal();
  }

  /** The effective level at {@code now} of a request of {@code priority} accepted at {@code since}. */
  public int effectiveLevel(Priority priority, Instant since, Instant now) {
    long waited = Math.max(0, Duration.between(since, now).toNanos());
    long steps = waited / step.toNanos();
    return (int) Math.max(0, baseLevel(priority) - Math.min(steps, Priority.values().length));
  }
}
