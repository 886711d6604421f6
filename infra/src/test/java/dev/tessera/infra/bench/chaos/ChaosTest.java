package dev.tessera.infra.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run: the cluster as separate processes (two gateways, two schedulers, two workers,
 * a tiny random-weights model) under a steady load from careful clients, while Kafka, PostgreSQL and
 * Redis are each stopped for 5 s, a gateway, a scheduler and a worker are each SIGKILLed and
 * restarted, and a worker and a scheduler are each frozen (SIGSTOP) for longer than their peers
 * wait. Nothing accepted is lost, nothing is finished or billed twice, no 5xx but 503 is answered,
 * and the system serves again after every fault. ({@link ReconciliationTest} shows each of these
 * figures counts what it should.)
 */
class ChaosTest {

  @Test
  void nothingIsLostDuplicatedOrMisbilledThroughAnOutageOfEachServerAndAKillOfEachService()
      throws Exception {
    Path home = Files.createTempDirectory("tessera-chaos-test");
    Map<String, Object> properties = new LinkedHashMap<>(
        BenchChaosCommand.serviceProperties("fm-tiny", true, home));
    properties.putAll(Map.ofEntries(
        Map.entry("tessera.worker.max-images", "3"),
        Map.entry("tessera.worker.high-priority-reserve", "1"),
        Map.entry("tessera.worker.light-tenant-width", "0"),
        Map.entry("tessera.worker.prefetch", "1"),
        Map.entry("tessera.worker.heartbeat-interval", "500ms"),
        Map.entry("tessera.scheduler.worker-timeout", "3s"),
        Map.entry("tessera.scheduler.lease-ttl", "3s"),
        Map.entry("tessera.scheduler.lease-renew-interval", "500ms"),
        Map.entry("tessera.scheduler.sweep-interval", "2s"),
        Map.entry("tessera.scheduler.sweep-min-age", "1s")));
    ChaosRun.Settings settings = new ChaosRun.Settings(20, 1, 2, 2, 2, 2, 1.0, 5, 8, 0, 120,
        Duration.ofMinutes(3), Duration.ofMinutes(3), "fm-tiny", properties,
        ChaosSchedule.oneOfEach(5, 8, 2));

    ChaosReport report = new ChaosRun(Path.of("..").toAbsolutePath().normalize(), home, settings,
        System.err).run();
    report.print(System.out);
    System.out.println(report.json());

    assertThat(report.faults()).extracting(FaultRecord::kind).as("every fault happened")
        .containsExactlyInAnyOrder(java.util.Arrays.stream(FaultKind.values())
            .map(FaultKind::label).toArray(String[]::new));
    assertThat(report.accepted()).as("requests accepted").isGreaterThan(10);
    assertThat(report.succeeded()).as("requests succeeded").isEqualTo(report.accepted());
    assertThat(report.http503()).as("503s while PostgreSQL was away").isPositive();
    assertThat(report.lost()).as("lost: " + report.problems()).isZero();
    assertThat(report.duplicated()).as("duplicated: " + report.problems()).isZero();
    assertThat(report.billingMismatches()).as("billing: " + report.problems()).isZero();
    assertThat(report.http5xx()).as("5xx other than 503: " + report.http5xxSamples()).isZero();
    assertThat(report.storedButRefused()).as("refused, yet stored").isZero();
    assertThat(report.http503WithoutRetryAfter()).as("503 without Retry-After").isZero();
    assertThat(report.cacheMismatches()).as("Redis contradicts PostgreSQL").isZero();
    assertThat(report.abandoned()).as("requests a client gave up on").isZero();
    assertThat(report.refused()).as("requests refused with a 4xx (a restarted gateway must not "
        + "refuse a served model): " + report.problems()).isZero();
    assertThat(report.allRecovered()).as("the system served again after every fault: "
        + report.faults()).isTrue();
    assertThat(ProcessHandle.current().children().filter(p -> p.info().command()
        .map(c -> c.contains("java")).orElse(false)).count())
        .as("no service process left behind").isZero();
    try (var files = Files.walk(home)) { // kept when the test fails: its logs tell why
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
