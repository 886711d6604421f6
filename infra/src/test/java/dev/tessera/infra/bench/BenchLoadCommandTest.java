package dev.tessera.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.infra.TesseraStackTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code bench load} for a few seconds against the running test system (tiny random-weights model,
 * 4 worker slots), through {@code --url} and the admin token: the report's JSON is the last line of
 * standard output and its numbers are sane.
 */
@TesseraStackTest
class BenchLoadCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort
  int port;

  /** Runs the command; returns the JSON last line of its output. */
  private JsonNode run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 5];
    System.arraycopy(new String[] {"--url", "http://localhost:" + port, "--admin-token",
        TesseraStackTest.ADMIN_TOKEN, "--json"}, 0, all, 0, 5);
    System.arraycopy(args, 0, all, 5, args.length);
    int code = BenchLoadCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code; stderr:\n" + err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> lines = stdout.lines().toList();
    assertThat(lines).as("stdout").isNotEmpty();
    assertThat(stdout).as("text report").contains("throughput").contains("worker busy");
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private static void assertPercentiles(JsonNode p, String what) {
    assertThat(p.path("n").asInt()).as(what + " n").isPositive();
    double p50 = p.path("p50").asDouble();
    double p95 = p.path("p95").asDouble();
    double p99 = p.path("p99").asDouble();
    assertThat(p50).as(what + " p50").isPositive();
    assertThat(p95).as(what + " p95 ≥ p50").isGreaterThanOrEqualTo(p50);
    assertThat(p99).as(what + " p99 ≥ p95").isGreaterThanOrEqualTo(p95);
  }

  private static void assertCommonKeys(JsonNode j) {
    for (String key : List.of("throughput_images_per_s", "unloaded_p50_ms", "worker_busy_fraction",
        "overhead_p50_ms", "latency_ms")) {
      assertThat(j.has(key)).as("key " + key + " in " + j).isTrue();
    }
    assertThat(j.path("throughput_images_per_s").asDouble()).as("throughput").isPositive();
    assertThat(j.path("worker_busy_fraction").asDouble()).as("busy fraction")
        .isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
    assertThat(j.path("unloaded_p50_ms").asDouble()).as("unloaded p50").isPositive();
    assertThat(j.path("overhead_p50_ms").asDouble()).as("overhead p50, end-to-end minus decode")
        .isGreaterThanOrEqualTo(0.0).isLessThanOrEqualTo(j.path("unloaded_p50_ms").asDouble());
    assertThat(j.path("status_codes").path("202").asInt()).as("202s").isPositive();
    assertThat(j.path("requests").path("failed").asInt()).as("failed requests").isZero();
  }

  @Test
  void fairnessCreatesTwoTenantsAndReportsBothOfThem() throws Exception {
    JsonNode j = run("--scenario", "fairness", "--seconds", "4", "--ramp", "1", "--unloaded", "3",
        "--concurrency", "8", "--drain", "20");
    assertCommonKeys(j);
    assertThat(j.path("scenario").asText()).as("scenario").isEqualTo("fairness");
    assertPercentiles(j.path("latency_ms").path("by_tenant").path("heavy"), "heavy tenant");
    assertPercentiles(j.path("latency_ms").path("by_tenant").path("light"), "light tenant");
    assertPercentiles(j.path("latency_ms").path("by_priority").path("normal"), "normal priority");
    assertThat(j.path("unloaded_latency_ms").path("by_tenant").path("light").path("n").asInt())
        .as("unloaded requests of the light tenant").isEqualTo(3);
    assertThat(j.path("p50_ratio").isNumber()).as("light p50 ratio").isTrue();
  }

  @Test
  void priorityReportsHighAndLowAndTheirTargets() throws Exception {
    JsonNode j = run("--scenario", "priority", "--seconds", "4", "--ramp", "1", "--unloaded", "3",
        "--concurrency", "8", "--drain", "20");
    assertCommonKeys(j);
    assertPercentiles(j.path("latency_ms").path("by_priority").path("low"), "low priority");
    assertPercentiles(j.path("latency_ms").path("by_priority").path("high"), "high priority");
    assertThat(j.path("compared").path("name").asText()).as("compared class").isEqualTo("high");
    assertThat(j.path("targets").has("p50_ratio")).as("ratio target").isTrue();
    assertThat(j.path("targets").path("worker_busy_fraction").path("min").asDouble())
        .as("busy target").isEqualTo(0.9);
  }
}
