package dev.tessera.infra.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The arithmetic of the report: percentiles, busy time as a union of intervals. Pure. */
final class LoadStats {

  private LoadStats() {}

  /** p50/p95/p99 of {@code n} values; the percentiles are null when {@code n} is 0. */
  record Percentiles(int n, Double p50, Double p95, Double p99) {}

  /** A closed time interval, e.g. one request's [running, finished]. */
  record Span(Instant start, Instant end) {
    Span {
      if (end.isBefore(start)) {
        throw new IllegalArgumentException("span ends before it starts: " + start + " > " + end);
      }
    }
  }

  /**
   * The nearest-rank percentile of sorted values: the smallest value with at least {@code q} of
   * all values at or below it (so p50 of 1..4 is 2, p99 of 100 values is the 99th).
   */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  /** p50, p95 and p99 of the values (in their own unit). */
  static Percentiles percentiles(Collection<? extends Number> values) {
    double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return new Percentiles(0, null, null, null);
    }
    return new Percentiles(sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.95),
        percentile(sorted, 0.99));
  }

  /** The median, or null when there are no values. */
  static Double median(Collection<? extends Number> values) {
    return percentiles(values).p50();
  }

  /**
   * The fraction of [{@code start}, {@code end}] covered by at least one span: the spans are
   * clipped to the window and merged where they overlap, so parallel work counts once.
   */
  static double busyFraction(Collection<Span> spans, Instant start, Instant end) {
    long window = Duration.between(start, end).toNanos();
    if (window <= 0) {
      throw new IllegalArgumentException("empty window " + start + " .. " + end);
    }
    List<Span> clipped = new ArrayList<>();
    for (Span s : spans) {
      Instant a = s.start().isBefore(start) ? start : s.start();
      Instant b = s.end().isAfter(end) ? end : s.end();
      if (a.isBefore(b)) {
        clipped.add(new Span(a, b));
      }
    }
    clipped.sort(Comparator.comparing(Span::start));
    long busy = 0;
    Instant runStart = null;
    Instant runEnd = null;
    for (Span s : clipped) {
      if (runEnd != null && !s.start().isAfter(runEnd)) {
        if (s.end().isAfter(runEnd)) {
          runEnd = s.end();
        }
        continue;
      }
      if (runEnd != null) {
        busy += Duration.between(runStart, runEnd).toNanos();
      }
      runStart = s.start();
      runEnd = s.end();
    }
    if (runEnd != null) {
      busy += Duration.between(runStart, runEnd).toNanos();
    }
    return (double) busy / window;
  }
}
