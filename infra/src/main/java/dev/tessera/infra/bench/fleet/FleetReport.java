package dev.tessera.infra.bench.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet benchmark's figures, each measured over the same window: accepted POSTs per second per
 * gateway (client side), dispatch decisions (batches) and requests dispatched per second per
 * scheduler (the {@code dispatches} table), requests finished per second (SUCCEEDED timestamps),
 * the overhead end-to-end minus decode (p50/p99, the servers' own timestamps), and consumer lag.
 */
record FleetReport(Map<String, Object> figures) {

  static FleetReport measure(FleetDb db, Instant from, Instant to, FleetLoad load,
      LagSampler lag, SimulatedFleet fleet, Map<String, Object> config) {
    double seconds = Duration.between(from, to).toMillis() / 1000.0;
    Map<String, Object> f = new LinkedHashMap<>(config);
    f.put("window_seconds", round(seconds));
    List<Long> accepted = load.acceptedInWindow();
    f.put("accepted_per_s_per_gateway", accepted.stream().map(a -> round(a / seconds)).toList());
    f.put("accepted_per_s", round(accepted.stream().mapToLong(Long::longValue).sum() / seconds));
    Map<String, Object> perScheduler = new LinkedHashMap<>();
    db.dispatches(from, to).forEach((id, c) -> perScheduler.put(id, Map.of(
        "batches_per_s", round(c[0] / seconds), "requests_per_s", round(c[1] / seconds),
        "mean_batch", round(c[0] == 0 ? 0 : (double) c[1] / c[0]))));
    f.put("dispatch_per_scheduler", perScheduler);
    f.put("finished_per_s", round(db.succeeded(from, to) / seconds));
    double[] overhead = db.overheadMs(from, to);
    f.put("overhead_p50_ms", round(overhead[0]));
    f.put("overhead_p99_ms", round(overhead[1]));
    f.put("recorder_lag_max", lag.max("recorder"));
    f.put("recorder_lag_mean", round(lag.mean("recorder")));
    f.put("scheduler_lag_max", lag.max("scheduler"));
    f.put("post_statuses", load.statuses());
    f.put("states_after_drain", db.states());
    f.put("billing_mismatches", db.billingMismatches());
    f.put("fleet_images_finished", fleet.finished());
    f.put("peak_held_per_worker", fleet.peakHeld());
    return new FleetReport(f);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  void print(PrintStream out, boolean json) throws Exception {
    Map<String, Object> f = figures;
    out.printf("bench fleet: %s simulated workers x %s slots, %s ms per image, %s gateway(s), "
        + "%s scheduler(s), %s clients, %.1f s measured%n", f.get("workers"), f.get("capacity"),
        f.get("simulated_decode_ms"), f.get("gateways"), f.get("schedulers"), f.get("clients"),
        (double) f.get("window_seconds"));
    out.printf("accepted POSTs   %s /s in all; per gateway %s%n", f.get("accepted_per_s"),
        f.get("accepted_per_s_per_gateway"));
    out.printf("dispatch         %s%n", f.get("dispatch_per_scheduler"));
    out.printf("finished         %s requests/s%n", f.get("finished_per_s"));
    out.printf("overhead         p50 %s ms, p99 %s ms (end-to-end minus simulated decode)%n",
        f.get("overhead_p50_ms"), f.get("overhead_p99_ms"));
    out.printf("consumer lag     recorder max %s (mean %s), scheduler max %s messages%n",
        f.get("recorder_lag_max"), f.get("recorder_lag_mean"), f.get("scheduler_lag_max"));
    out.printf("POST statuses    %s; states after drain %s; billing mismatches %s; "
        + "peak held per worker %s of %s%n", f.get("post_statuses"), f.get("states_after_drain"),
        f.get("billing_mismatches"), f.get("peak_held_per_worker"), f.get("capacity"));
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(f));
    }
  }
}
