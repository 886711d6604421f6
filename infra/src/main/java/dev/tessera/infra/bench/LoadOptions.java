package dev.tessera.infra.bench;

import dev.tessera.worker.cli.CommandFlags;
import dev.tessera.worker.cli.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Options of {@code ./tessera bench load}.
 *
 * @param url a running system's URL, or null to start the embedded system in this JVM
 * @param adminToken the running system's admin token (creates the tenants), or null
 * @param apiKey a running system's API key for the single-tenant scenarios, or null
 * @param seconds length of the loaded phase
 * @param rampSeconds start of the loaded phase left out of the measurement
 * @param drainSeconds after the loaded phase, how long to wait for unfinished requests before
 *     cancelling them; 0 for a default from the loaded phase's rate ({@code LoadRun.autoDrain})
 * @param unloaded sequential requests of the unloaded phase
 * @param concurrency outstanding requests of the flooding class; 0 for twice the worker's slots
 * @param springArgs {@code --name=value} properties for the embedded system
 */
record LoadOptions(Scenario scenario, String url, String adminToken, String apiKey, int seconds,
    double rampSeconds, int drainSeconds, int unloaded, int concurrency, String model,
    String strategy, long seed, boolean json, List<String> springArgs) {

  static final String USAGE = """
      usage: ./tessera bench load [--scenario steady|priority|fairness] [--seconds 60] [--json]
                 [--url URL (--admin-token T | --api-key K)] [--model fm-ar] [--strategy ar]
                 [--seed 1] [--unloaded 5] [--concurrency N] [--ramp S] [--drain S]
                 [--spring.or.tessera.property=value ...]
        --scenario     steady: closed-loop clients that saturate the worker;
                       priority: a low-priority flood plus high-priority probes one at a time;
                       fairness: a heavy tenant floods, a light tenant (equal weight) sends one at a time
        --seconds      loaded phase (default 60), after a sequential unloaded phase (--unloaded N)
        --url          use a running system; without it the embedded system starts in this JVM
                       (a temporary --home, any free port) and stops at the end
        --admin-token  the running system's admin token: the benchmark creates its own tenants
        --api-key      a running system's key for steady or priority, when there is no admin token
        --concurrency  outstanding flood requests (default 2 x the worker's slots; 32 with --url)
        --ramp         first seconds of the loaded phase left out (default seconds/5, 1..15)
        --drain        longest wait for unfinished requests after the loaded phase (default: 3 x
                       what they need at the loaded rate, 30..600 s); the rest are cancelled and
                       counted as abandoned
        --json         the last line of output is one JSON object""";

  /** Parses the arguments after {@code bench load}; throws {@link UsageException}. */
  static LoadOptions parse(String[] args) {
    List<String> spring = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help")) {
        throw new UsageException("");
      }
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0 && a.substring(2, eq).contains(".")) {
        spring.add(a);
      } else {
        flags.add(a);
      }
    }
    CommandFlags f = CommandFlags.parse(flags.toArray(String[]::new), Set.of("scenario", "url",
        "admin-token", "api-key", "seconds", "ramp", "drain", "unloaded", "concurrency", "model",
        "strategy", "seed"), Set.of("json"));
    if (!f.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + f.positional().get(0) + "'");
    }
    Scenario scenario;
    try {
      scenario = Scenario.parse(f.string("scenario", "steady"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("flag --scenario: " + e.getMessage());
    }
    int seconds = f.integer("seconds", 60, 2, 3600);
    double ramp = f.has("ramp") ? f.decimal("ramp", 0)
        : Math.min(15, Math.max(1, seconds / 5.0));
    if (ramp < 0 || ramp > seconds / 2.0) {
      throw new UsageException("flag --ramp must be in [0, seconds/2], got " + ramp);
    }
    String url = f.string("url", null);
    String admin = f.string("admin-token", null);
    String key = f.string("api-key", null);
    if (url == null && (admin != null || key != null)) {
      throw new UsageException("--admin-token and --api-key go with --url (the embedded system"
          + " makes its own)");
    }
    if (url != null && !spring.isEmpty()) {
      throw new UsageException("properties like " + spring.get(0) + " configure the embedded"
          + " system; with --url configure the running one");
    }
    if (url != null && admin == null && (scenario == Scenario.FAIRNESS || key == null)) {
      throw new UsageException(scenario == Scenario.FAIRNESS
          ? "--scenario fairness with --url needs --admin-token (it creates two tenants)"
          : "--url needs --admin-token (creates a tenant) or --api-key");
    }
    return new LoadOptions(scenario, url, admin, key, seconds, ramp,
        f.integer("drain", 0, 1, 3600), f.integer("unloaded", 5, 1, 1000),
        f.integer("concurrency", 0, 1, 1024), f.string("model", "fm-ar"),
        f.string("strategy", "ar"), f.longValue("seed", 1), f.has("json"), List.copyOf(spring));
  }
}
