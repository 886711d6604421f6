package dev.tessera.infra.bench.chaos;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.tessera.worker.cli.RunOutput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tessera bench chaos}: the multi-process cluster under steady load while a seeded schedule
 * kills, freezes and restarts services and takes Kafka, PostgreSQL and Redis away; then the
 * reconciliation ({@link ChaosReport}). Exit code 0 when nothing was lost, duplicated or
 * mis-billed and no 5xx other than 503 was answered, 1 otherwise.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Faults under load: SIGKILL and SIGSTOP of gateways, schedulers and workers, "
        + "Kafka, PostgreSQL and Redis stopped, on a seeded schedule; then every accepted request "
        + "reconciled against PostgreSQL, Redis and Kafka.", "Progress goes to stderr, the report "
        + "to stdout (with --json its last line is one JSON object)."})
public final class BenchChaosCommand implements Callable<Integer> {

  @Option(names = "--seconds", defaultValue = "600", description = "how long the load runs")
  int seconds;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the fault schedule and the "
      + "load")
  long seed;

  @Option(names = "--json", description = "end the report with one JSON line")
  boolean json;

  @Option(names = "--gateways", defaultValue = "2", description = "gateway processes")
  int gateways;

  @Option(names = "--schedulers", defaultValue = "2",
      description = "scheduler processes")
  int schedulers;

  @Option(names = "--workers", defaultValue = "2", description = "worker processes")
  int workers;

  @Option(names = "--tenants", defaultValue = "3", description = "tenants sending load")
  int tenants;

  @Option(names = "--rate", defaultValue = "1.0",
      description = "requests per second, all tenants together")
  double rate;

  @Option(names = "--outage-seconds", defaultValue = "30",
      description = "how long Kafka, PostgreSQL or Redis stays away")
  int outageSeconds;

  @Option(names = "--freeze-seconds", defaultValue = "15",
      description = "how long a process stays frozen (SIGSTOP)")
  int freezeSeconds;

  @Option(names = "--min-gap", defaultValue = "15",
      description = "shortest pause after a recovery before the next fault, s")
  double minGap;

  @Option(names = "--model", defaultValue = "fm-ar",
      description = "the model the load asks for")
  String model;

  @Option(names = "--tiny", description = "serve a tiny random-weights model (fm-tiny) instead of "
      + "a trained one: a quick run that measures the control plane, not decoding")
  boolean tiny;

  @Option(names = "--home", description = "state directory (default: a new temporary one)")
  Path home;

  @CommandLine.Mixin
  RunOutput output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;
  private final Path checkout;

  /**
   * @param checkout the checkout's root (the deployables, {@code models/}, {@code runs/}, {@code
   *     docs/})
   */
  public BenchChaosCommand(PrintStream out, PrintStream err, Path checkout) {
    this.out = out;
    this.err = err;
    this.checkout = checkout;
  }

  @Override
  public Integer call() throws Exception {
    check(seconds >= 30, "--seconds", "must be at least 30");
    check(rate > 0 && rate <= 100, "--rate", "must be in (0, 100]");
    check(tenants >= 1 && tenants <= 100, "--tenants", "must be 1 to 100");
    check(gateways >= 1 && schedulers >= 1 && workers >= 1, "--gateways/--schedulers/--workers",
        "must be at least 1 each");
    check(outageSeconds >= 1 && freezeSeconds >= 1, "--outage-seconds/--freeze-seconds",
        "must be at least 1");
    Path state = home != null ? home : Files.createTempDirectory("tessera-chaos");
    String servedModel = tiny ? "fm-tiny" : model;
    ChaosRun.Settings settings = new ChaosRun.Settings(seconds, seed, gateways, schedulers,
        workers, tenants, rate, outageSeconds, freezeSeconds, minGap, 180,
        Duration.ofMinutes(10), Duration.ofMinutes(5), servedModel,
        serviceProperties(servedModel, tiny, state), null);
    ChaosRun run = new ChaosRun(checkout, state, settings, err);
    ChaosReport report = run.run();
    report.print(out);
    if (json) {
      out.println(report.json());
    }
    Path folder = output.folder(checkout, "bench-chaos");
    Files.writeString(folder.resolve("report.json"), report.json() + "\n");
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    report.print(new PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
    Files.writeString(folder.resolve("report.txt"),
        text.toString(java.nio.charset.StandardCharsets.UTF_8));
    Files.writeString(folder.resolve("timeline.csv"), run.timelineCsv());
    err.println("bench chaos: wrote " + folder + " (report.txt, report.json, timeline.csv)");
    for (String file : new String[] {"report.txt", "report.json", "timeline.csv"}) {
      output.publish(checkout, folder.resolve(file), "docs/benchmarks/chaos/" + file, err);
    }
    return report.violations() == 0 ? 0 : 1;
  }

  /** The services' properties: one torch thread per worker, only the model the load asks for. */
  static Map<String, Object> serviceProperties(String model, boolean tiny, Path home) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("tessera.worker.models", model);
    p.put("tessera.worker.torch-threads", "1");
    if (tiny) {
      p.put("tessera.worker.models-dir", home.resolve("no-models").toString());
      p.put("tessera.worker.random-model.dim", "64");
      p.put("tessera.worker.random-model.layers", "2");
      p.put("tessera.worker.random-model.heads", "2");
    }
    return p;
  }

  private void check(boolean ok, String flag, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), flag + " " + message);
    }
  }
}
