package dev.tessera.infra.bench;

import java.net.http.HttpHeaders;

/** The {@code Retry-After} header as a client reads it. */
public final class RetryAfter {

  private RetryAfter() {}

  /**
   * Its delay in milliseconds: 0 without the header; an HTTP date (which the gateway never sends)
   * counts as one second.
   */
  public static long millis(HttpHeaders headers) {
    return headers.firstValue("Retry-After").map(RetryAfter::seconds).orElse(0L) * 1000;
  }

  private static long seconds(String text) {
    try {
      return Math.max(0, Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
