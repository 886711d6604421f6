package dev.tessera.infra.bench.fleet;

import dev.tessera.infra.local.EmbeddedServers;
import dev.tessera.infra.cluster.LocalCluster;
import dev.tessera.infra.cluster.ServiceProcess;
import dev.tessera.worker.cli.RunOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tessera bench fleet}: the real gateways and schedulers (each its own process), Kafka,
 * PostgreSQL and Redis, with {@code --workers} simulated workers, under closed-loop load; reports
 * each stage's rate and the pipeline's overhead ({@link FleetReport}).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The control plane with N simulated workers.",
        "The control plane's ceiling: real gateways, schedulers, Kafka, PostgreSQL and "
        + "Redis with N simulated workers (real Kafka clients, heartbeats and results; a decode "
        + "that sleeps).", "Progress goes to stderr, the report to stdout (with --json its last "
        + "line is one JSON object).", "The report is also written to the run's folder;"
        + " docs/benchmarks/fleet/ only with --publish."})
public final class BenchFleetCommand implements Callable<Integer> {

  @Option(names = "--workers", required = true, description = "simulated workers (1..2000)")
  int workers;

  @Option(names = "--simulated-decode-ms", defaultValue = "1000",
      description = "how long a simulated image takes")
  long decodeMs;

  @Option(names = "--capacity", defaultValue = "8",
      description = "requests each simulated worker holds at once")
  int capacity;

  @Option(names = "--gateways", defaultValue = "1", description = "gateway processes")
  int gateways;

  @Option(names = "--schedulers", defaultValue = "1",
      description = "scheduler processes (one dispatches, the others stand by)")
  int schedulers;

  @Option(names = "--clients", defaultValue = "64",
      description = "closed-loop HTTP clients")
  int clients;

  @Option(names = "--seconds", defaultValue = "30", description = "measured load")
  int seconds;

  @Option(names = "--warmup", defaultValue = "10",
      description = "load before the measurement starts")
  int warmup;

  @Option(names = "--json", description = "end the report with one JSON line")
  boolean json;

  @CommandLine.Mixin
  RunOutput output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;
  private final Path checkout;

  /**
   * @param out where the report goes
   * @param err progress
   * @param checkout the checkout's root ({@code runs/}, {@code docs/})
   */
  public BenchFleetCommand(PrintStream out, PrintStream err, Path checkout) {
    this.out = out;
    this.err = err;
    this.checkout = checkout;
  }

  @Override
  public Integer call() throws Exception {
    validate();
    Path home = Files.createTempDirectory("tessera-fleet");
    long total = 30 + warmup + seconds + 30;
    err.printf("bench fleet: %d simulated worker(s) x %d slots, %d ms per image; %d gateway(s), "
        + "%d scheduler(s); ETA ~%d s (start-up, %d s warm-up, %d s measured, drain)%n", workers,
        capacity, decodeMs, gateways, schedulers, total, warmup, seconds);
    try (EmbeddedServers servers = EmbeddedServers.start(home, true);
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Spec(
            Path.of("").toAbsolutePath(), home, gateways, schedulers, 0, 0,
            Map.of("tessera.scheduler.max-batch-size", Integer.toString(capacity))),
            servers, false);
        SimulatedFleet fleet = new SimulatedFleet(servers.kafkaBootstrap(), workers, capacity,
            decodeMs, Duration.ofSeconds(2));
        LagSampler lag = new LagSampler(servers.kafkaBootstrap())) {
      List<String> urls = cluster.gateways().stream().map(ServiceProcess::url).toList();
      FleetCatalog.awaitModel(urls.get(0), cluster.apiKey(), SimulatedFleet.MODEL);
      err.printf("bench fleet: cluster up; loading with %d clients%n", clients);
      FleetLoad load = new FleetLoad(urls, cluster.apiKey(), clients);
      long start = System.nanoTime();
      long windowStart = start + Duration.ofSeconds(warmup).toNanos();
      long end = windowStart + Duration.ofSeconds(seconds).toNanos();
      Instant windowFrom = Instant.now().plusSeconds(warmup);
      Thread progress = Progress.start(err, start, end, fleet::finished);
      load.run(windowStart, end);
      progress.interrupt();
      Instant windowTo = Instant.now();
      FleetDb db = new FleetDb(servers.jdbcUrl());
      err.println("bench fleet: load done; draining");
      db.awaitDrained(Duration.ofSeconds(60));
      FleetReport report = FleetReport.measure(db, windowFrom, windowTo, load, lag, fleet,
          Map.of("workers", workers, "simulated_decode_ms", decodeMs, "capacity", capacity,
              "gateways", gateways, "schedulers", schedulers, "clients", clients,
              "measured_seconds", seconds));
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      report.print(new PrintStream(text, true, StandardCharsets.UTF_8), true);
      save(text.toString(StandardCharsets.UTF_8));
    }
    return 0;
  }

  /**
   * Prints the report (the JSON line only with --json), writes it to the run's folder
   * ({@code report.txt}, {@code report.json}) and, with --publish, to docs/benchmarks/fleet/.
   */
  private void save(String report) throws java.io.IOException {
    List<String> lines = report.lines().toList();
    String jsonLine = lines.get(lines.size() - 1);
    String text = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n";
    out.print(json ? report : text);
    out.flush();
    Path folder = output.folder(checkout, "bench-fleet");
    Files.writeString(folder.resolve("report.txt"), text);
    Files.writeString(folder.resolve("report.json"), jsonLine + "\n");
    err.println("bench fleet: wrote " + folder);
    String name = (clients != 64 ? "c" + clients + "-" : "") + "n" + workers;
    output.publish(checkout, folder.resolve("report.txt"),
        "docs/benchmarks/fleet/" + name + ".report.txt", err);
    output.publish(checkout, folder.resolve("report.json"),
        "docs/benchmarks/fleet/" + name + ".json", err);
  }

  private void validate() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("--workers must be 1..2000", workers >= 1 && workers <= 2000);
    checks.put("--simulated-decode-ms must be 1..600000", decodeMs >= 1 && decodeMs <= 600_000);
    checks.put("--capacity must be 1..256", capacity >= 1 && capacity <= 256);
    checks.put("--gateways must be 1..16", gateways >= 1 && gateways <= 16);
    checks.put("--schedulers must be 1..8", schedulers >= 1 && schedulers <= 8);
    checks.put("--clients must be 1..1024", clients >= 1 && clients <= 1024);
    checks.put("--seconds must be 1..3600", seconds >= 1 && seconds <= 3600);
    checks.put("--warmup must be 0..600", warmup >= 0 && warmup <= 600);
    for (var c : checks.entrySet()) {
      if (!c.getValue()) {
        throw new CommandLine.ParameterException(spec.commandLine(), c.getKey());
      }
    }
  }
}
