package dev.tessera.gateway.limits;

import java.time.Duration;

/**
 * A rate in requests per second as the whole permits per interval a token bucket takes:
 * 2/s is 2 per 1 s, 0.2/s is 1 per 5 s, 2.5/s is 3 per 1.2 s. Pure.
 *
 * @param permits bucket size, at least 1
 * @param interval time in which {@code permits} refill
 */
record RateWindow(long permits, Duration interval) {

  static RateWindow of(double ratePerSecond) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
    }
    long permits = Math.max(1, Math.round(ratePerSecond));
    long millis = Math.max(1, Math.round(permits * 1000.0 / ratePerSecond));
    return new RateWindow(permits, Duration.ofMillis(millis));
  }

  /** Seconds until one more permit refills, rounded up: the Retry-After of a refused request. */
  long secondsPerPermit() {
    return Math.max(1, (interval.toMillis() / permits + 999) / 1000);
  }

  /** The window in whole seconds (at least 1), for {@code RateLimit-Policy}'s {@code w}. */
  long windowSeconds() {
    return Math.max(1, (interval.toMillis() + 999) / 1000);
  }
}
