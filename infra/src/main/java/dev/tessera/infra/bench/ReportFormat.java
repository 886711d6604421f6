package dev.tessera.infra.bench;

import dev.tessera.infra.bench.LoadReport.Latencies;
import dev.tessera.infra.bench.LoadStats.Percentiles;
import dev.tessera.infra.bench.Scenario.Dimension;
import dev.tessera.infra.bench.Scenario.Group;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A {@link LoadReport} as text for people and as one JSON object for scripts. Pure. */
final class ReportFormat {

  /** Below this many samples, the text warns that a p50 is not to be trusted much. */
  static final int FEW_SAMPLES = 5;

  private ReportFormat() {}

  /** The JSON object (keys in a stable order; unknown numbers are null, never NaN). */
  static Map<String, Object> json(LoadReport r) {
    LoadResult.Settings s = r.settings();
    Group compared = s.scenario().compared();
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("scenario", s.scenario().apiName());
    j.put("system", s.system());
    j.put("model", s.model());
    j.put("strategy", s.strategy());
    j.put("loaded_seconds", round(s.loadedSeconds(), 1));
    j.put("ramp_seconds", round(s.rampSeconds(), 1));
    j.put("measured_seconds", round(r.measuredSeconds(), 2));
    j.put("flood", s.flood());
    j.put("worker_slots", s.workerSlots() > 0 ? s.workerSlots() : null);
    j.put("throughput_images_per_s", round(r.throughput(), 3));
    j.put("succeeded_in_window", r.succeededInWindow());
    j.put("worker_busy_fraction", round(r.busyFraction(), 4));
    Map<String, Object> byWorker = new LinkedHashMap<>();
    r.busyByWorker().forEach((w, f) -> byWorker.put(w, round(f, 4)));
    j.put("worker_busy_by_worker", byWorker);
    j.put("compared", Map.of("group", group(compared.dimension()), "name", compared.name()));
    j.put("unloaded_p50_ms", round(r.unloadedP50(), 1));
    j.put("loaded_p50_ms", round(r.loadedP50(), 1));
    j.put("p50_ratio", round(r.p50Ratio(), 3));
    j.put("overhead_p50_ms", round(r.overheadUnloadedMs(), 1));
    j.put("loaded_overhead_p50_ms", round(r.overheadLoadedMs(), 1));
    j.put("breakdown_p50_ms", Map.of("unloaded", rounded(r.breakdownUnloaded()),
        "loaded", rounded(r.breakdownLoaded())));
    j.put("latency_ms", latencies(r.loaded()));
    j.put("unloaded_latency_ms", latencies(r.unloaded()));
    j.put("client_latency_ms", latencies(r.loadedClient()));
    j.put("requests", r.requests());
    j.put("status_codes", r.statusCodes());
    j.put("clock_offset_ms", round(r.clockOffsetMs(), 1));
    Map<String, Object> targets = new LinkedHashMap<>();
    if (s.scenario() != Scenario.STEADY) {
      targets.put("p50_ratio", target(r.p50Ratio(), "max", LoadReport.MAX_P50_RATIO,
          r.p50Ratio() == null ? null : r.p50Ratio() <= LoadReport.MAX_P50_RATIO));
    }
    targets.put("worker_busy_fraction", target(r.busyFraction(), "min",
        LoadReport.MIN_BUSY_FRACTION, r.busyFraction() >= LoadReport.MIN_BUSY_FRACTION));
    Double overhead = r.overheadUnloadedMs();
    targets.put("overhead_p50_ms", target(overhead, "max", LoadReport.MAX_OVERHEAD_P50_MS,
        overhead == null ? null : overhead <= LoadReport.MAX_OVERHEAD_P50_MS));
    j.put("targets", targets);
    return j;
  }

  /** The report for people, several lines. */
  static String text(LoadReport r) {
    LoadResult.Settings s = r.settings();
    Group compared = s.scenario().compared();
    StringBuilder b = new StringBuilder();
    line(b, "bench load %s: %s/%s on %s%s; loaded %.0f s = %.0f s ramp + %.1f s measured; %s",
        s.scenario().apiName(), s.model(), s.strategy(), s.system(),
        s.workerSlots() > 0 ? ", worker slots " + s.workerSlots() : "", s.loadedSeconds(),
        s.rampSeconds(), r.measuredSeconds(), s.scenario().describe(s.flood()));
    line(b, "throughput      %.2f images/s (%d succeeded in the %.1f s window)", r.throughput(),
        r.succeededInWindow(), r.measuredSeconds());
    line(b, "worker busy     %.3f of the window%s", r.busyFraction(),
        r.busyByWorker().size() > 1 ? " (mean of " + r.busyByWorker() + ")" : "");
    line(b, "overhead p50    %s at light load, %s loaded (end-to-end minus decode)",
        ms(r.overheadUnloadedMs()), ms(r.overheadLoadedMs()));
    line(b, "p50 ms          %8s %11s %8s %8s %11s", "queue", "batch wait", "decode", "encode",
        "end-to-end");
    breakdownLine(b, "  unloaded", r.breakdownUnloaded());
    breakdownLine(b, "  loaded", r.breakdownLoaded());
    line(b, "latency ms, server end-to-end (client-observed p50 last)");
    line(b, "  %-24s %5s %8s %8s %8s %11s", "", "n", "p50", "p95", "p99", "client p50");
    latencyLines(b, "unloaded", r.unloaded(), null);
    latencyLines(b, "loaded", r.loaded(), r.loadedClient());
    Double ratio = r.p50Ratio();
    line(b, "%s p50: %s loaded vs %s unloaded = %s%s", compared, ms(r.loadedP50()),
        ms(r.unloadedP50()), ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio),
        s.scenario() == Scenario.STEADY ? "" : " (target ≤ 2×: " + met(ratio == null ? null
            : ratio <= LoadReport.MAX_P50_RATIO) + ")");
    int n = r.loaded().of(compared).n();
    if (n < FEW_SAMPLES) {
      line(b, "  note: only %d loaded %s request(s) finished in the window; a longer --seconds gives"
          + " a steadier p50", n, compared);
    }
    Double overhead = r.overheadUnloadedMs();
    line(b, "targets: worker busy ≥ 0.9: %s; overhead p50 at light load ≤ 50 ms: %s",
        met(r.busyFraction() >= LoadReport.MIN_BUSY_FRACTION),
        met(overhead == null ? null : overhead <= LoadReport.MAX_OVERHEAD_P50_MS));
    line(b, "requests %s; POST status codes %s; server clock − client clock %.1f ms",
        r.requests(), r.statusCodes(), r.clockOffsetMs());
    return b.toString();
  }

  private static void breakdownLine(StringBuilder b, String label, Map<String, Double> p50) {
    line(b, "%-15s %8s %11s %8s %8s %11s", label, num(p50.get("queue")),
        num(p50.get("batch_wait")), num(p50.get("decode")), num(p50.get("encode")),
        num(p50.get("end_to_end")));
  }

  private static void latencyLines(StringBuilder b, String phase, Latencies server,
      Latencies client) {
    server.byPriority().forEach((name, p) -> latencyLine(b, phase + " " + name + " priority", p,
        client == null ? null : client.byPriority().get(name)));
    server.byTenant().forEach((name, p) -> latencyLine(b, phase + " tenant " + name, p,
        client == null ? null : client.byTenant().get(name)));
  }

  private static void latencyLine(StringBuilder b, String label, Percentiles p, Percentiles c) {
    line(b, "  %-24s %5d %8s %8s %8s %11s", label, p.n(), num(p.p50()), num(p.p95()),
        num(p.p99()), c == null ? "" : num(c.p50()));
  }

  private static Map<String, Object> latencies(Latencies l) {
    Map<String, Object> byPriority = new LinkedHashMap<>();
    l.byPriority().forEach((k, p) -> byPriority.put(k, percentiles(p)));
    Map<String, Object> byTenant = new LinkedHashMap<>();
    l.byTenant().forEach((k, p) -> byTenant.put(k, percentiles(p)));
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("by_priority", byPriority);
    j.put("by_tenant", byTenant);
    return j;
  }

  private static Map<String, Object> percentiles(Percentiles p) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("n", p.n());
    j.put("p50", round(p.p50(), 1));
    j.put("p95", round(p.p95(), 1));
    j.put("p99", round(p.p99(), 1));
    return j;
  }

  private static Map<String, Object> target(Double value, String bound, double limit, Boolean met) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("value", round(value, 4));
    j.put(bound, limit);
    j.put("met", met);
    return j;
  }

  private static Map<String, Object> rounded(Map<String, Double> values) {
    Map<String, Object> j = new LinkedHashMap<>();
    values.forEach((k, v) -> j.put(k, round(v, 1)));
    return j;
  }

  private static String group(Dimension d) {
    return d == Dimension.PRIORITY ? "by_priority" : "by_tenant";
  }

  private static Double round(Double v, int decimals) {
    if (v == null || v.isNaN() || v.isInfinite()) {
      return null;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  private static String met(Boolean met) {
    return met == null ? "n/a" : met ? "met" : "NOT met";
  }

  private static String ms(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f ms", v);
  }

  private static String num(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
