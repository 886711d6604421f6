package dev.tessera.gateway.listing;

import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Strategy;
import dev.tessera.gateway.input.PrintableText;
import dev.tessera.gateway.input.Rfc3339;
import dev.tessera.gateway.problem.Echo;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A listing's query string, checked: a 400 names the parameter at fault.
 *
 * @param limit items per page, 1 to {@link #MAX_LIMIT} (default {@link #DEFAULT_LIMIT})
 * @param after cursor: items older than this generation (the next page), or null
 * @param before cursor: items newer than this generation (the previous page), or null
 * @param statuses states to keep; empty keeps all
 * @param model model name, or null
 * @param strategy strategy name, or null
 * @param batchId the dispatch batch, or null
 * @param createdFrom first acceptance time kept (inclusive), or null
 * @param createdTo acceptance time from which items are left out (exclusive), or null
 */
public record ListQuery(int limit, UUID after, UUID before, Set<GenerationState> statuses,
    String model, String strategy, UUID batchId, Instant createdFrom, Instant createdTo) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;
  /** Longest model name a filter takes. */
  static final int MAX_NAME = 200;

  /** Parses the raw parameters (each null when absent). */
  public static ListQuery parse(String limit, String after, String before, String status,
      String model, String strategy, String batchId, String createdFrom, String createdTo) {
    UUID afterId = uuid("after", after);
    UUID beforeId = uuid("before", before);
    if (afterId != null && beforeId != null) {
      throw invalid("before", "give at most one of 'after' and 'before'");
    }
    Instant from = time("created_from", createdFrom);
    Instant to = time("created_to", createdTo);
    if (from != null && to != null && !from.isBefore(to)) {
      throw invalid("created_to", "created_to must be after created_from");
    }
    return new ListQuery(limit(limit), afterId, beforeId, statuses(status), text("model", model),
        strategy(strategy), uuid("batch_id", batchId), from, to);
  }

  private static int limit(String text) {
    if (blank(text)) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid("limit", "limit must be an integer from 1 to " + MAX_LIMIT + ", was '"
        + Echo.value(text) + "'");
  }

  private static Set<GenerationState> statuses(String text) {
    Set<GenerationState> states = EnumSet.noneOf(GenerationState.class);
    if (blank(text)) {
      return states;
    }
    for (String name : text.split(",")) {
      try {
        states.add(GenerationState.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw invalid("status", "unknown status '" + Echo.value(name.strip()) + "'; one or more of "
            + Arrays.toString(GenerationState.values()) + ", comma-separated");
      }
    }
    return states;
  }

  private static UUID uuid(String field, String text) {
    if (blank(text)) {
      return null;
    }
    try {
      UUID id = UUID.fromString(text.strip());
      if (id.toString().equalsIgnoreCase(text.strip())) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw invalid(field, field + " must be a UUID, was '" + Echo.value(text) + "'");
  }

  private static Instant time(String field, String text) {
    if (blank(text)) {
      return null;
    }
    return Rfc3339.parse(field, text.strip());
  }

  private static String strategy(String name) {
    if (blank(name)) {
      return null;
    }
    try {
      return Strategy.fromApiName(name.strip()).apiName();
    } catch (IllegalArgumentException e) {
      throw invalid("strategy", e.getMessage());
    }
  }

  /** A name to filter by: visible text (no NUL, which PostgreSQL refuses), or null. */
  private static String text(String field, String value) {
    return blank(value) ? null : PrintableText.require(field, value, MAX_NAME, false);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static InvalidRequestException invalid(String field, String detail) {
    return new InvalidRequestException(ProblemType.INVALID_FIELD, field, detail);
  }
}
