package dev.tessera.infra.bench.chaos;

/**
 * One fault of a schedule.
 *
 * @param kind what happens
 * @param gapSeconds how long after the previous fault recovered (or the load's start) it begins
 * @param seconds how long an outage or a freeze lasts (0 for a kill)
 * @param pick which instance a kill or freeze hits: index modulo the instances running then
 */
public record PlannedFault(FaultKind kind, double gapSeconds, int seconds, int pick) {

  public PlannedFault {
    if (gapSeconds < 0 || seconds < 0 || pick < 0) {
      throw new IllegalArgumentException("gap, seconds and pick must not be negative");
    }
    if (kind.lasts() != (seconds > 0)) {
      throw new IllegalArgumentException(kind.label() + (kind.lasts() ? " lasts: seconds > 0"
          : " is instantaneous: seconds = 0"));
    }
  }
}
