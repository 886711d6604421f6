package dev.tessera.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.infra.TesseraStackTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code bench load --scenario fairness} for a few seconds against the running test system (tiny
 * random-weights model, 4 worker slots), through {@code --url} and the admin token. The assertions
 * hold however slow the machine is: on a busy machine few or no loaded requests finish inside a
 * 3-second window, so loaded percentiles may be null, but the shape, the accounting and the clean
 * stop may not vary.
 */
@TesseraStackTest
class BenchLoadCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final JdbcClient jdbc;

  BenchLoadCommandTest(@LocalServerPort int port, JdbcClient jdbc) {
    this.port = port;
    this.jdbc = jdbc;
  }

  @Test
  void fairnessRunPrintsTheJsonReportLastAndLeavesNothingRunning(@TempDir Path runDir)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = BenchLoadCommand.run(new String[] {"--url", "http://localhost:" + port,
        "--admin-token", TesseraStackTest.ADMIN_TOKEN, "--json", "--scenario", "fairness",
        "--seconds", "3", "--ramp", "0", "--unloaded", "1", "--concurrency", "4", "--drain", "15",
        "--out", runDir.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);

    assertThat(code).as("exit code; stderr:\n" + stderr).isZero();
    assertThat(stderr).as("progress on stderr").contains("bench load: unloaded 1/1");
    assertThat(stdout).as("text report").contains("throughput").contains("worker busy");
    List<String> lines = stdout.lines().toList();
    JsonNode j = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(JSON.readTree(Files.readString(runDir.resolve("report.json"))))
        .as("the run folder's report.json").isEqualTo(j);
    assertThat(Files.readString(runDir.resolve("report.txt"))).as("the run folder's report.txt")
        .isEqualTo(stdout);
    for (String key : List.of("throughput_images_per_s", "unloaded_p50_ms", "worker_busy_fraction",
        "overhead_p50_ms", "latency_ms")) {
      assertThat(j.has(key)).as("key " + key + " in " + j).isTrue();
    }
    double throughput = j.path("throughput_images_per_s").asDouble(-1);
    double busy = j.path("worker_busy_fraction").asDouble(-1);
    double unloadedP50 = j.path("unloaded_p50_ms").asDouble();
    double measured = j.path("measured_seconds").asDouble();
    int inWindow = j.path("succeeded_in_window").asInt(-1);
    assertThat(measured).as("measured window").isPositive();
    assertThat(throughput).as("throughput: images that succeeded in the window, per second of it")
        .isCloseTo(inWindow / measured, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(busy).as("busy fraction").isBetween(0.0, 1.0);
    if (throughput > 0) {
      assertThat(busy).as("busy when images finished in the window").isPositive();
    }
    assertThat(unloadedP50).as("unloaded p50 of the light tenant").isPositive();
    assertThat(j.path("overhead_p50_ms").asDouble()).as("overhead p50: end-to-end minus decode")
        .isBetween(0.0, unloadedP50);
    assertThat(j.path("unloaded_latency_ms").path("by_tenant").path("light").path("n").asInt())
        .as("unloaded requests of the light tenant").isEqualTo(1);
    JsonNode byTenant = j.path("latency_ms").path("by_tenant");
    assertThat(JSON.convertValue(byTenant, java.util.Map.class).keySet()).as("tenants")
        .containsExactlyInAnyOrder("heavy", "light");
    assertOrdered(byTenant.path("heavy"), "heavy");
    assertOrdered(byTenant.path("light"), "light");
    assertOrdered(j.path("latency_ms").path("by_priority").path("normal"), "normal");

    JsonNode n = j.path("requests");
    assertThat(n.path("accepted").asInt()).as("accepted requests").isGreaterThanOrEqualTo(3);
    assertThat(n.path("failed").asInt()).as("failed requests").isZero();
    assertThat(n.path("succeeded").asInt() + n.path("cancelled").asInt()
        + n.path("expired").asInt() + n.path("abandoned").asInt())
        .as("every accepted request ended or was abandoned: " + n)
        .isEqualTo(n.path("accepted").asInt());
    assertThat(j.path("status_codes").path("202").asInt()).as("202s")
        .isEqualTo(n.path("accepted").asInt());
    Integer unfinished = jdbc.sql("SELECT count(*) FROM generations g JOIN tenants t"
        + " ON t.id = g.tenant_id WHERE t.name LIKE 'bench-load-fairness-%'"
        + " AND g.state IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'RETRYING')")
        .query(Integer.class).single();
    assertThat(unfinished).as("the benchmark's requests left unfinished").isZero();
  }

  /** n ≥ 0; and when n > 0, 0 < p50 ≤ p95 ≤ p99. */
  private static void assertOrdered(JsonNode p, String what) {
    assertThat(p.path("n").isInt()).as(what + ": " + p).isTrue();
    if (p.path("n").asInt() > 0) {
      assertThat(p.path("p50").asDouble()).as(what + " p50").isPositive();
      assertThat(p.path("p95").asDouble()).as(what + " p95 ≥ p50")
          .isGreaterThanOrEqualTo(p.path("p50").asDouble());
      assertThat(p.path("p99").asDouble()).as(what + " p99 ≥ p95")
          .isGreaterThanOrEqualTo(p.path("p95").asDouble());
    } else {
      assertThat(p.path("p50").isNull()).as(what + " p50 of nothing is null").isTrue();
    }
  }
}
