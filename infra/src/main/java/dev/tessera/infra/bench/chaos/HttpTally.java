package dev.tessera.infra.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the clients' POSTs were answered, counted as they come (thread-safe). */
final class HttpTally {

  /** An answer slower than this breaks the promise of a fast refusal during an outage. */
  static final long SLOW_MS = 1000;
  private static final int KEPT = 10;

  private final Map<Integer, Long> byStatus = new TreeMap<>();
  private final List<Long> millis = new ArrayList<>();
  private final List<String> serverErrors = new ArrayList<>();
  private long slow;
  private long slowUnavailable;
  private long unavailableWithoutRetryAfter;

  /** Records a POST's answer (status -1: no answer). */
  synchronized void record(CarefulClient.Answer answer, String gateway) {
    byStatus.merge(answer.status(), 1L, Long::sum);
    if (answer.status() < 0) {
      return;
    }
    millis.add(answer.millis());
    if (answer.millis() > SLOW_MS) {
      slow++;
      if (answer.status() == 503) {
        slowUnavailable++;
      }
    }
    if (answer.status() == 503 && answer.retryAfterMs() == 0) {
      unavailableWithoutRetryAfter++;
    }
    if (answer.status() >= 500 && answer.status() != 503 && serverErrors.size() < KEPT) {
      serverErrors.add(answer.status() + " from " + gateway + ": " + answer.body());
    }
  }

  /** Answers by status (-1: none). */
  synchronized Map<Integer, Long> byStatus() {
    return Map.copyOf(byStatus);
  }

  /** 5xx answers other than 503 (a 503 with Retry-After is the promised answer to an outage). */
  synchronized long serverErrors() {
    return byStatus.entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() != 503)
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** The first few 5xx answers other than 503, for the report. */
  synchronized List<String> serverErrorSamples() {
    return List.copyOf(serverErrors);
  }

  synchronized long unavailable() {
    return byStatus.getOrDefault(503, 0L);
  }

  synchronized long unavailableWithoutRetryAfter() {
    return unavailableWithoutRetryAfter;
  }

  synchronized long noAnswer() {
    return byStatus.getOrDefault(-1, 0L);
  }

  /** Answers slower than {@link #SLOW_MS}. */
  synchronized long slow() {
    return slow;
  }

  /** 503 answers slower than {@link #SLOW_MS} (the promise: a refusal within a second). */
  synchronized long slowUnavailable() {
    return slowUnavailable;
  }

  /** The {@code q} quantile of answer times, in ms (0 with no answers). */
  synchronized long quantileMs(double q) {
    if (millis.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(millis);
    sorted.sort(null);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }
}
