package dev.tessera.infra.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench load} measures. Each scenario names the tenants it needs, the request class whose
 * p50 is compared unloaded vs loaded, and the closed-loop clients of its loaded phase.
 */
enum Scenario {
  /** Closed-loop clients of one tenant at normal priority, enough to saturate the worker. */
  STEADY,
  /** A flood of low-priority requests with sparse high-priority probes, one at a time. */
  PRIORITY,
  /** A heavy tenant floods; a light tenant of equal weight sends one request at a time. */
  FAIRNESS;

  /** Tenant label of the single-tenant scenarios. */
  static final String BENCH_TENANT = "bench";
  static final String HEAVY_TENANT = "heavy";
  static final String LIGHT_TENANT = "light";

  /** Pause of a probe client between the end of one request and the next. */
  static final Duration PROBE_GAP = Duration.ofMillis(500);

  /** A class of requests in the report: a priority or a tenant label. */
  record Group(Dimension dimension, String name) {
    @Override
    public String toString() {
      return dimension == Dimension.PRIORITY ? name + " priority" : "tenant " + name;
    }
  }

  /** How the report groups latencies. */
  enum Dimension { PRIORITY, TENANT }

  /**
   * Closed-loop clients of one class: each submits, waits for the terminal state, pauses
   * {@code think}, and repeats until the loaded phase ends.
   */
  record ClientPlan(String tenant, String priority, int clients, Duration think) {}

  /** The API name ({@code steady}, ...). */
  String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses an API name. */
  static Scenario parse(String name) {
    for (Scenario s : values()) {
      if (s.apiName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + name + "'; expected steady, priority"
        + " or fairness");
  }

  /** Tenant labels this scenario submits as. */
  List<String> tenants() {
    return this == FAIRNESS ? List.of(HEAVY_TENANT, LIGHT_TENANT) : List.of(BENCH_TENANT);
  }

  /** The class measured alone (unloaded phase) and under load; its p50s are compared. */
  Group compared() {
    return switch (this) {
      case STEADY -> new Group(Dimension.PRIORITY, "normal");
      case PRIORITY -> new Group(Dimension.PRIORITY, "high");
      case FAIRNESS -> new Group(Dimension.TENANT, LIGHT_TENANT);
    };
  }

  /** The compared class as one client plan (tenant, priority) for the sequential unloaded phase. */
  ClientPlan unloaded() {
    return switch (this) {
      case STEADY -> new ClientPlan(BENCH_TENANT, "normal", 1, Duration.ZERO);
      case PRIORITY -> new ClientPlan(BENCH_TENANT, "high", 1, Duration.ZERO);
      case FAIRNESS -> new ClientPlan(LIGHT_TENANT, "normal", 1, Duration.ZERO);
    };
  }

  /** The loaded phase's clients; {@code flood} outstanding requests saturate the worker. */
  List<ClientPlan> loaded(int flood) {
    return switch (this) {
      case STEADY -> List.of(new ClientPlan(BENCH_TENANT, "normal", flood, Duration.ZERO));
      case PRIORITY -> List.of(new ClientPlan(BENCH_TENANT, "low", flood, Duration.ZERO),
          new ClientPlan(BENCH_TENANT, "high", 1, PROBE_GAP));
      case FAIRNESS -> List.of(new ClientPlan(HEAVY_TENANT, "normal", flood, Duration.ZERO),
          new ClientPlan(LIGHT_TENANT, "normal", 1, PROBE_GAP));
    };
  }

  /** One line on what the loaded phase does. */
  String describe(int flood) {
    return switch (this) {
      case STEADY -> flood + " closed-loop clients at normal priority";
      case PRIORITY -> flood + " outstanding low-priority requests + 1 high-priority probe at a time";
      case FAIRNESS -> "tenant heavy keeps " + flood + " requests outstanding, tenant light 1 at a"
          + " time (equal weights)";
    };
  }
}
