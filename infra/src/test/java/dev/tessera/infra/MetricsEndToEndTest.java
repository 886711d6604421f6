package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * One generation, then {@code /actuator/prometheus} of the all-in-one process: every {@code
 * tessera_} series of gateway, scheduler and worker is there, with values that fit what just
 * happened, and the endpoint needs no API key.
 */
@TesseraStackTest
class MetricsEndToEndTest {

  /** {@code name{labels} value} or {@code name value}: a sample of the Prometheus text format. */
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(?:\\{([^}]*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final ApplicationContext context;
  private final int port;

  MetricsEndToEndTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
  }

  @Test
  void afterAGenerationThePrometheusEndpointShowsEveryTesseraSeriesWithoutAKey() throws Exception {
    EndToEndScenario scenario = new EndToEndScenario(context, port);
    scenario.awaitModel("fm-ar");
    List<Sample> before = parse(scenario.get("/actuator/prometheus", null).body());
    String key = scenario.newTenantKey("metrics");
    HttpResponse<String> accepted = scenario.post("/v1/generations", key, "application/json",
        "{\"model\":\"fm-ar\",\"class_label\":5,\"priority\":\"high\"}");
    assertThat(accepted.statusCode()).as("POST answers 202: " + accepted.body()).isEqualTo(202);
    String id = EndToEndScenario.json(accepted.body()).get("id").asText();
    await("generation " + id + " SUCCEEDED").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> EndToEndScenario.json(scenario.get("/v1/generations/" + id, key).body())
            .path("status").asText().equals("SUCCEEDED"));

    HttpResponse<String> scrape = scenario.get("/actuator/prometheus", null);
    assertThat(scrape.statusCode()).as("scraped without an API key").isEqualTo(200);
    assertThat(scenario.get("/actuator/health", null).statusCode()).as("health without a key")
        .isEqualTo(200);
    List<Sample> samples = parse(scrape.body());

    Map<String, String> ar = Map.of("model", "fm-ar", "strategy", "ar");
    Map<String, String> succeeded = Map.of("model", "fm-ar", "strategy", "ar",
        "status", "SUCCEEDED");
    Map<String, String> high = Map.of("model", "fm-ar", "priority", "high");
    assertThat(value(samples, "tessera_requests_total", succeeded)).as("requests succeeded")
        .isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_e2e_request_latency_seconds_count", succeeded))
        .as("end-to-end latencies recorded").isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_e2e_request_latency_seconds_sum", succeeded))
        .as("end-to-end latency is positive").isPositive();
    assertThat(value(samples, "tessera_e2e_request_latency_seconds_bucket",
        with(succeeded, "le", "+Inf")))
        .as("a histogram: buckets for p50/p95").isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_request_queue_time_seconds_count", high))
        .as("queue time of the high-priority request").isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_request_queue_time_seconds_bucket",
        with(high, "le", "+Inf"))).as("queue time buckets")
        .isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_batch_size_count", ar)).as("batches dispatched")
        .isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_batch_size_sum", ar)).as("requests in them")
        .isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_decode_time_seconds_count", ar)).as("images decoded")
        .isGreaterThanOrEqualTo(1);
    assertThat(value(samples, "tessera_spec_decode_draft_tokens_total", ar))
        .as("plain AR drafts nothing").isZero();
    assertThat(value(samples, "tessera_spec_decode_accepted_tokens_total", ar))
        .as("and accepts nothing").isZero();
    assertWholeCount(value(samples, "tessera_requests_waiting", high), "a waiting gauge");
    assertWholeCount(value(samples, "tessera_requests_running", Map.of("model", "fm-ar")),
        "a running gauge");
    assertThat(value(samples, "tessera_kv_slots_used", ar)
        + value(samples, "tessera_kv_slots_free", ar))
        .as("used + free = the pool: 4 images × 2 rows (CFG)").isEqualTo(8);
    assertThat(value(samples, "tessera_request_retries_total", Map.of()))
        .as("a generation that succeeded at once schedules no retry")
        .isEqualTo(value(before, "tessera_request_retries_total", Map.of()));
    assertThat(value(samples, "tessera_dead_letters_total", Map.of()))
        .as("and dead-letters nothing")
        .isEqualTo(value(before, "tessera_dead_letters_total", Map.of()));
  }

  /** A gauge of requests: a whole number, not negative (and not NaN: a collected gauge). */
  private static void assertWholeCount(double value, String what) {
    assertThat(value).as(what).isNotNegative().isEqualTo(Math.rint(value));
  }

  private record Sample(String name, Map<String, String> labels, double value) {}

  private static List<Sample> parse(String body) {
    return body.lines().map(SAMPLE::matcher).filter(Matcher::matches).map(m -> {
      Map<String, String> labels = new HashMap<>();
      Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String v = m.group(3).replace("Inf", "Infinity");
      return new Sample(m.group(1), labels, Double.parseDouble(v));
    }).toList();
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> more = new HashMap<>(labels);
    more.put(key, value);
    return more;
  }

  /** The value of the one series of {@code name} whose labels include {@code labels}. */
  private static double value(List<Sample> samples, String name, Map<String, String> labels) {
    List<Sample> matching = samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
    assertThat(matching).as("one series " + name + labels).hasSize(1);
    return matching.get(0).value();
  }
}
