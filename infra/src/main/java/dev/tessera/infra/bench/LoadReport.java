package dev.tessera.infra.bench;

import dev.tessera.infra.bench.LoadStats.Percentiles;
import dev.tessera.infra.bench.LoadStats.Span;
import dev.tessera.infra.bench.Sample.Phase;
import dev.tessera.infra.bench.Scenario.Dimension;
import dev.tessera.infra.bench.Scenario.Group;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The numbers of one run, derived from its samples. Pure.
 *
 * <ul>
 *   <li>Latency is the server's end-to-end time (acceptance → result recorded) of SUCCEEDED
 *       requests; the client-observed time (POST → terminal state seen by a poll) is kept beside it.
 *   <li>The window is the loaded phase after its ramp, moved onto the server's clock by the median
 *       offset between the POSTs' midpoints and the server's {@code queued_at}.
 *   <li>Throughput: requests that SUCCEEDED inside the window, per second of window.
 *   <li>Worker busy fraction: per worker, the part of the window covered by the union of its requests'
 *       [running_at, finished_at]; the mean over the workers seen.
 *   <li>Overhead: end-to-end minus decode, p50; at light load it is the unloaded phase's.
 * </ul>
 */
record LoadReport(LoadResult.Settings settings, double clockOffsetMs, double measuredSeconds,
    int succeededInWindow, double throughput, double busyFraction, Map<String, Double> busyByWorker,
    Double overheadUnloadedMs, Double overheadLoadedMs, Map<String, Double> breakdownUnloaded,
    Map<String, Double> breakdownLoaded, Latencies unloaded, Latencies loaded,
    Latencies loadedClient, Map<String, Integer> requests, Map<String, Integer> statusCodes) {

  /** Targets the team reports against. */
  static final double MAX_P50_RATIO = 2.0;
  static final double MIN_BUSY_FRACTION = 0.9;
  static final double MAX_OVERHEAD_P50_MS = 50.0;

  /** Latency percentiles (ms) by priority and by tenant label, in a stable order. */
  record Latencies(Map<String, Percentiles> byPriority, Map<String, Percentiles> byTenant) {

    Percentiles of(Group g) {
      Percentiles p = (g.dimension() == Dimension.PRIORITY ? byPriority : byTenant).get(g.name());
      return p != null ? p : new Percentiles(0, null, null, null);
    }
  }

  /** Computes the report. */
  static LoadReport of(LoadResult result) {
    List<Sample> samples = result.samples();
    Double offset = LoadStats.median(samples.stream()
        .filter(s -> s.view() != null && s.view().queuedAt() != null)
        .map(s -> Duration.between(s.sentMidpoint(), s.view().queuedAt()).toNanos() / 1e6)
        .toList());
    double offsetMs = offset == null ? 0 : offset;
    Instant ws = result.windowStart().plusNanos((long) (offsetMs * 1e6));
    Instant we = result.windowEnd().plusNanos((long) (offsetMs * 1e6));
    double seconds = Duration.between(ws, we).toNanos() / 1e9;

    int done = (int) samples.stream().filter(Sample::succeeded)
        .filter(s -> !s.view().finishedAt().isBefore(ws) && !s.view().finishedAt().isAfter(we))
        .count();

    Map<String, List<Span>> spans = new TreeMap<>();
    for (Sample s : samples) {
      View v = s.view();
      if (v != null && v.runningAt() != null && v.workerId() != null) {
        Instant end = v.finishedAt() != null ? v.finishedAt() : we;
        if (!end.isBefore(v.runningAt())) {
          spans.computeIfAbsent(v.workerId(), k -> new ArrayList<>()).add(new Span(v.runningAt(), end));
        }
      }
    }
    Map<String, Double> busy = new TreeMap<>();
    spans.forEach((worker, list) -> busy.put(worker, LoadStats.busyFraction(list, ws, we)));
    double meanBusy = busy.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);

    Predicate<Sample> unloaded = s -> s.phase() == Phase.UNLOADED && s.succeeded();
    Predicate<Sample> loaded = s -> s.phase() == Phase.LOADED && s.succeeded();
    return new LoadReport(result.settings(), offsetMs, seconds, done, done / seconds, meanBusy, busy,
        LoadStats.median(values(samples, unloaded, s -> s.view().overheadMs())),
        LoadStats.median(values(samples, loaded, s -> s.view().overheadMs())),
        breakdown(samples, unloaded), breakdown(samples, loaded),
        latencies(samples, Phase.UNLOADED, s -> s.view().endToEndMs()),
        latencies(samples, Phase.LOADED, s -> s.view().endToEndMs()),
        latencies(samples, Phase.LOADED, s -> s.clientLatencyNanos() < 0 ? null
            : s.clientLatencyNanos() / 1e6),
        requests(samples), statusCodes(samples));
  }

  /** The compared class's p50 unloaded, or null. */
  Double unloadedP50() {
    return unloaded.of(settings.scenario().compared()).p50();
  }

  /** The compared class's p50 in the loaded window, or null. */
  Double loadedP50() {
    return loaded.of(settings.scenario().compared()).p50();
  }

  /** Loaded over unloaded p50 of the compared class, or null. */
  Double p50Ratio() {
    Double u = unloadedP50();
    Double l = loadedP50();
    return u == null || l == null || u == 0 ? null : l / u;
  }

  private static List<Number> values(List<Sample> samples, Predicate<Sample> which,
      Function<Sample, Number> value) {
    List<Number> out = new ArrayList<>();
    for (Sample s : samples) {
      if (which.test(s)) {
        Number v = value.apply(s);
        if (v != null) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /**
   * Percentiles of the SUCCEEDED requests of a phase, per priority and per tenant; every class the
   * phase submitted is listed, with n = 0 and null percentiles when none of it succeeded.
   */
  private static Latencies latencies(List<Sample> samples, Phase phase,
      Function<Sample, Number> value) {
    Predicate<Sample> in = s -> s.phase() == phase;
    Predicate<Sample> done = in.and(Sample::succeeded);
    Map<String, Percentiles> byPriority = new LinkedHashMap<>();
    for (String p : List.of("high", "normal", "low")) {
      if (samples.stream().anyMatch(in.and(s -> s.priority().equals(p)))) {
        byPriority.put(p, LoadStats.percentiles(values(samples,
            done.and(s -> s.priority().equals(p)), value)));
      }
    }
    Map<String, Percentiles> byTenant = new TreeMap<>();
    samples.stream().filter(in).map(Sample::tenant).distinct().forEach(t -> byTenant.put(t,
        LoadStats.percentiles(values(samples, done.and(s -> s.tenant().equals(t)), value))));
    return new Latencies(byPriority, byTenant);
  }

  private static Map<String, Double> breakdown(List<Sample> samples, Predicate<Sample> which) {
    Map<String, Double> p50 = new LinkedHashMap<>();
    p50.put("queue", LoadStats.median(values(samples, which, s -> s.view().queueMs())));
    p50.put("batch_wait", LoadStats.median(values(samples, which, s -> s.view().batchWaitMs())));
    p50.put("decode", LoadStats.median(values(samples, which, s -> s.view().decodeMs())));
    p50.put("encode", LoadStats.median(values(samples, which, s -> s.view().encodeMs())));
    p50.put("end_to_end", LoadStats.median(values(samples, which, s -> s.view().endToEndMs())));
    return p50;
  }

  private static Map<String, Integer> requests(List<Sample> samples) {
    Map<String, Integer> n = new LinkedHashMap<>();
    for (String k : List.of("submitted", "accepted", "succeeded", "failed", "expired", "cancelled",
        "abandoned")) {
      n.put(k, 0);
    }
    for (Sample s : samples) {
      n.merge("submitted", 1, Integer::sum);
      if (s.httpStatus() == 202) {
        n.merge("accepted", 1, Integer::sum);
      }
      if (s.abandoned()) {
        n.merge("abandoned", 1, Integer::sum);
      } else if (s.view() != null && View.terminal(s.view().status())) {
        n.merge(s.view().status().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      }
    }
    return n;
  }

  private static Map<String, Integer> statusCodes(List<Sample> samples) {
    Map<String, Integer> codes = new TreeMap<>();
    for (Sample s : samples) {
      codes.merge(s.httpStatus() < 0 ? "error" : String.valueOf(s.httpStatus()), 1, Integer::sum);
    }
    return codes;
  }
}
