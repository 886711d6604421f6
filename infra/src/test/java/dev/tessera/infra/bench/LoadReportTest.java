package dev.tessera.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.infra.bench.Sample.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report of a hand-made priority run: window [10 s, 20 s] of the client's clock, with the
 * server's clock ahead by a given offset.
 */
class LoadReportTest {

  private static final Instant T0 = Instant.parse("2025-03-10T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  /** A SUCCEEDED (or other terminal) request as the server saw it, times in server seconds. */
  private static Sample request(String priority, Phase phase, String status, double queued,
      double running, double finished, long decodeMs, boolean abandoned, double clockOffset) {
    long e2e = Math.round((finished - queued) * 1000);
    View v = new View("id-" + queued, status, "worker-1", at(queued), at(running), at(finished),
        Math.round((running - queued) * 1000) - 5, 5L, decodeMs, 2L, e2e);
    // the POST took 2 ms and its midpoint is the server's queued_at, on the client's clock
    Instant sent = at(queued - clockOffset).minusMillis(1);
    long client = Duration.ofMillis(e2e + 40).toNanos();
    return new Sample("bench", priority, phase, 202, sent, Duration.ofMillis(2).toNanos(),
        "SUCCEEDED".equals(status) ? client : -1, abandoned, v);
  }

  private static LoadReport priorityRun(double offset) {
    List<Sample> s = new ArrayList<>();
    s.add(request("normal", Phase.WARMUP, "SUCCEEDED", 0, 0.1, 1.0, 800, false, offset));
    s.add(request("high", Phase.UNLOADED, "SUCCEEDED", 2, 2.05, 3.0, 900, false, offset));
    s.add(request("high", Phase.UNLOADED, "SUCCEEDED", 4, 4.05, 5.1, 900, false, offset));
    s.add(request("high", Phase.UNLOADED, "SUCCEEDED", 6, 6.05, 7.2, 900, false, offset));
    s.add(request("low", Phase.RAMP, "SUCCEEDED", 7.5, 8, 11, 3000, false, offset));
    s.add(request("low", Phase.LOADED, "SUCCEEDED", 10.5, 10.5, 14, 3500, false, offset));
    s.add(request("low", Phase.LOADED, "SUCCEEDED", 12, 13, 18, 5000, false, offset));
    s.add(request("high", Phase.LOADED, "SUCCEEDED", 15, 16.4, 16.5, 100, false, offset));
    // still running when the drain ended: cancelled by the benchmark at 21 s
    s.add(request("low", Phase.LOADED, "CANCELLED", 17, 19, 21, 0, true, offset));
    s.add(new Sample("bench", "low", Phase.LOADED, 429, at(19.5 - offset), 1_000_000, -1, false,
        null));
    LoadResult.Settings settings = new LoadResult.Settings(Scenario.PRIORITY, "embedded", "fm-ar",
        "ar", 12, 2, 8, 4);
    return LoadReport.of(new LoadResult(settings, s, at(10 - offset), at(20 - offset)));
  }

  @ParameterizedTest(name = "server clock ahead by {0} s")
  @ValueSource(doubles = {0, 3.25, -7})
  void measuresInTheServersWindowWhateverTheClockOffset(double offset) {
    LoadReport r = priorityRun(offset);
    assertThat(r.clockOffsetMs()).as("estimated clock offset").isCloseTo(offset * 1000,
        within(1.0));
    assertThat(r.measuredSeconds()).as("window").isCloseTo(10.0, within(1e-3));
    assertThat(r.succeededInWindow()).as("succeeded at 11, 14, 16.5 and 18 s").isEqualTo(4);
    assertThat(r.throughput()).as("images/s").isCloseTo(0.4, within(1e-3));
    // running: [8, 11], [10.5, 14], [13, 18], [16.4, 16.5], [19, 21] → [10, 18] + [19, 20] of [10, 20]
    assertThat(r.busyFraction()).as("worker busy").isCloseTo(0.9, within(1e-3));
  }

  @Test
  void comparesTheHighPriorityP50LoadedWithUnloaded() {
    LoadReport r = priorityRun(0);
    assertThat(r.unloadedP50()).as("unloaded high p50 of 1000, 1100, 1200 ms").isEqualTo(1100.0);
    assertThat(r.loadedP50()).as("loaded high p50").isEqualTo(1500.0);
    assertThat(r.p50Ratio()).as("ratio").isCloseTo(1500.0 / 1100, within(1e-9));
    assertThat(r.overheadUnloadedMs()).as("p50 of end-to-end minus decode, unloaded")
        .isEqualTo(200.0);
    assertThat(r.loaded().byPriority()).as("loaded latency by priority; the cancelled request and"
        + " the ramp are not in it").containsOnlyKeys("high", "low");
    assertThat(r.loaded().byPriority().get("low").n()).as("low requests measured").isEqualTo(2);
    assertThat(r.loaded().byTenant().get("bench").n()).as("tenant bench measured").isEqualTo(3);
    assertThat(r.requests()).as("request counts").containsEntry("submitted", 10)
        .containsEntry("accepted", 9).containsEntry("succeeded", 8).containsEntry("abandoned", 1);
    assertThat(r.statusCodes()).as("POST status codes").containsEntry("202", 9)
        .containsEntry("429", 1);
  }

  @Test
  void jsonHasTheAgreedKeysAndShape() throws Exception {
    String line = JSON.writeValueAsString(ReportFormat.json(priorityRun(0)));
    assertThat(line).as("one line").doesNotContain("\n");
    JsonNode j = JSON.readTree(line);
    for (String key : List.of("throughput_images_per_s", "unloaded_p50_ms", "worker_busy_fraction",
        "overhead_p50_ms", "latency_ms")) {
      assertThat(j.has(key)).as("key " + key).isTrue();
    }
    assertThat(j.path("throughput_images_per_s").asDouble()).as("throughput").isEqualTo(0.4);
    assertThat(j.path("unloaded_p50_ms").asDouble()).as("unloaded p50").isEqualTo(1100.0);
    assertThat(j.path("overhead_p50_ms").asDouble()).as("overhead p50").isEqualTo(200.0);
    JsonNode high = j.path("latency_ms").path("by_priority").path("high");
    assertThat(List.of(high.path("p50").asDouble(), high.path("p95").asDouble(),
        high.path("p99").asDouble())).as("high p50/p95/p99").containsExactly(1500.0, 1500.0, 1500.0);
    JsonNode bench = j.path("latency_ms").path("by_tenant").path("bench");
    assertThat(bench.path("p50").isNumber() && bench.path("p95").isNumber()
        && bench.path("p99").isNumber()).as("tenant bench p50/p95/p99: " + bench).isTrue();
    assertThat(j.path("targets").path("p50_ratio").path("met").asBoolean()).as("ratio target met")
        .isTrue();
    assertThat(j.path("targets").path("worker_busy_fraction").path("met").asBoolean())
        .as("busy target (0.9 ≥ 0.9)").isTrue();
    assertThat(j.path("targets").path("overhead_p50_ms").path("met").asBoolean())
        .as("overhead target (200 ms > 50 ms)").isFalse();
  }

  @Test
  void anEmptyRunReportsNullsNotNaN() throws Exception {
    LoadResult.Settings settings = new LoadResult.Settings(Scenario.FAIRNESS, "http://x:1",
        "fm-ar", "ar", 10, 2, 32, 0);
    LoadReport r = LoadReport.of(new LoadResult(settings, List.of(), at(2), at(10)));
    JsonNode j = JSON.readTree(JSON.writeValueAsString(ReportFormat.json(r)));
    assertThat(j.path("throughput_images_per_s").asDouble()).as("throughput").isZero();
    assertThat(j.path("worker_busy_fraction").asDouble()).as("busy").isZero();
    assertThat(j.path("unloaded_p50_ms").isNull()).as("unloaded p50 unknown").isTrue();
    assertThat(j.path("worker_slots").isNull()).as("slots unknown").isTrue();
    assertThat(j.path("latency_ms").path("by_tenant").isObject()).as("by_tenant object").isTrue();
    assertThat(ReportFormat.text(r)).as("text of an empty run").contains("n/a")
        .contains("only 0 loaded tenant light request(s)");
  }
}
