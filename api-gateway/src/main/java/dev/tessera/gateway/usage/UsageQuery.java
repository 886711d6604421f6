package dev.tessera.gateway.usage;

import dev.tessera.gateway.problem.Echo;
import dev.tessera.gateway.input.Rfc3339;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of {@code GET /v1/usage}, parsed and checked. Pure.
 *
 * @param start first instant (inclusive), the start of the first bucket
 * @param end last instant (exclusive)
 * @param bucket bucket width: 1 h or 1 d
 * @param groupBy group keys, each one of {@link #GROUP_KEYS}, in the order asked
 */
record UsageQuery(Instant start, Instant end, Duration bucket, List<String> groupBy) {

  /** What results can be grouped by. */
  static final List<String> GROUP_KEYS = List.of("model", "strategy", "api_key");

  /** Most buckets one query may span. */
  static final int MAX_BUCKETS = 1000;

  /**
   * Parses the query parameters; times are Unix seconds or ISO-8601 instants.
   *
   * @throws InvalidRequestException naming the parameter that is missing or wrong
   */
  static UsageQuery parse(String start, String end, String bucket, String groupBy, Instant now) {
    if (start == null || start.isBlank()) {
      throw invalid(ProblemType.MISSING_FIELD, "start",
          "start is required (Unix seconds or an ISO-8601 instant)");
    }
    Instant from = instant("start", start);
    Instant to = end == null || end.isBlank() ? now : instant("end", end);
    if (!to.isAfter(from)) {
      throw invalid(ProblemType.INVALID_FIELD, "end", "end must be after start");
    }
    Duration width = switch (bucket == null || bucket.isBlank() ? "1d" : bucket) {
      case "1h" -> Duration.ofHours(1);
      case "1d" -> Duration.ofDays(1);
      default -> throw invalid(ProblemType.INVALID_FIELD, "bucket",
          "bucket must be 1h or 1d, was '" + Echo.value(bucket) + "'");
    };
    long buckets = (Duration.between(from, to).toSeconds() + width.toSeconds() - 1)
        / width.toSeconds();
    if (buckets > MAX_BUCKETS) {
      throw invalid(ProblemType.INVALID_FIELD, "end", "at most " + MAX_BUCKETS
          + " buckets per query; this one spans " + buckets);
    }
    List<String> keys = new ArrayList<>();
    if (groupBy != null && !groupBy.isBlank()) {
      for (String key : groupBy.split(",")) {
        String k = key.strip();
        if (!GROUP_KEYS.contains(k)) {
          throw invalid(ProblemType.INVALID_FIELD, "group_by", "group_by takes "
              + String.join(", ", GROUP_KEYS) + "; '" + Echo.value(k) + "' is none of them");
        }
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
    }
    return new UsageQuery(from, to, width, List.copyOf(keys));
  }

  /** Number of buckets from start to end (the last one may end after {@code end}). */
  int buckets() {
    long seconds = Duration.between(start, end).toSeconds();
    return (int) ((seconds + bucket.toSeconds() - 1) / bucket.toSeconds());
  }

  /** Unix seconds (at most 11 digits: before the year 5138) or an RFC 3339 time. */
  private static Instant instant(String name, String text) {
    if (text.chars().allMatch(c -> c >= '0' && c <= '9') && text.length() <= 11) {
      return Instant.ofEpochSecond(Long.parseLong(text));
    }
    try {
      return Rfc3339.parse(name, text);
    } catch (InvalidRequestException e) {
      throw invalid(ProblemType.INVALID_FIELD, name, name
          + " must be Unix seconds or an ISO-8601 instant such as 2025-01-31T00:00:00Z, was '"
          + Echo.value(text) + "'");
    }
  }

  private static InvalidRequestException invalid(ProblemType type, String field, String detail) {
    return new InvalidRequestException(type, field, detail);
  }
}
