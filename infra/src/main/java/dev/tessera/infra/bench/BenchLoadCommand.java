package dev.tessera.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.infra.local.LocalSystem;
import dev.tessera.worker.WorkerProperties;
import dev.tessera.worker.cli.Cli;
import dev.tessera.worker.cli.Ranges;
import dev.tessera.worker.cli.RunOutput;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./tessera bench load}: starts the system in this JVM (or uses a running one with
 * {@code --url}), creates its own tenants through the admin API, runs a {@link Scenario} with a
 * bounded, self-stopping request loop, stops what it started, and prints the {@link LoadReport}:
 * text, then with {@code --json} one JSON object as the last line of standard output. Progress and
 * the system's logs go to standard error. The report (text and JSON) is also written to the run's
 * folder, and with {@code --publish} to {@code docs/benchmarks/load/SCENARIO.txt}.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The whole system under a bounded load over HTTP.",
        "Drives the whole system over HTTP with a bounded load: throughput, latency"
        + " percentiles per priority and tenant, pipeline overhead.",
        "Without --url the system starts in this JVM (a temporary --home, any free port) and stops"
        + " at the end; options like --tessera.worker.max-images=4 configure it.",
        "The report goes to stdout and the run's folder; docs/benchmarks/load/ only with --publish."})
public final class BenchLoadCommand implements Callable<Integer> {

  /** {@code tessera.worker.max-images}'s default: the slots assumed for a running system. */
  static final int DEFAULT_WORKER_SLOTS = 16;
  private static final double MAX_POLLS_PER_SECOND = 50;
  private static final int POLL_THREADS = 2;

  @Spec
  CommandSpec spec;

  @Option(names = "--scenario", description = "steady: closed-loop clients that saturate the"
      + " worker; priority: a low-priority flood plus high-priority probes one at a time;"
      + " fairness: a heavy tenant floods, a light tenant (equal weight) sends one at a time")
  String scenario = "steady";

  @Option(names = "--seconds", description = "loaded phase (2..3600), after a sequential unloaded"
      + " phase (--unloaded N)")
  int seconds = 60;

  @Option(names = "--json", description = "the last line of output is one JSON object")
  boolean json;

  @Option(names = "--url", description = "use a running system instead of starting one")
  String url;

  @Option(names = "--admin-token", paramLabel = "T",
      description = "the running system's admin token: the benchmark creates its own tenants")
  String adminToken;

  @Option(names = "--api-key", paramLabel = "K",
      description = "a running system's key for steady or priority, when there is no admin token")
  String apiKey;

  @Option(names = "--model", description = "the model requested")
  String model = "fm-ar";

  @Option(names = "--strategy", description = "the strategy requested")
  String strategy = "ar";

  @Option(names = "--seed", description = "seed of the first request")
  long seed = 1;

  @Option(names = "--unloaded", paramLabel = "N", description = "sequential requests of the"
      + " unloaded phase (1..1000)")
  int unloaded = 5;

  @Option(names = "--concurrency", paramLabel = "N", description = "outstanding flood requests"
      + " (default 2 x the worker's slots; 32 with --url)")
  Integer concurrency;

  @Option(names = "--ramp", paramLabel = "S", description = "first seconds of the loaded phase"
      + " left out (default seconds/5, 1..15)")
  Double ramp;

  @Option(names = "--drain", paramLabel = "S", description = "longest wait for unfinished"
      + " requests after the loaded phase (default: 3 x what they need at the loaded rate,"
      + " 30..600 s); the rest are cancelled and counted as abandoned")
  Integer drain;

  @Mixin
  RunOutput output;

  @Unmatched
  List<String> properties = new ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;
  private final Path checkout;

  /**
   * @param out where the report goes
   * @param err progress and errors; with the embedded system, {@code System.out} is pointed here
   *     while it runs, so that its logs do not mix with the report
   * @param checkout the checkout's root ({@code runs/}, {@code docs/})
   */
  public BenchLoadCommand(PrintStream out, PrintStream err, Path checkout) {
    this.out = out;
    this.err = err;
    this.checkout = checkout;
  }

  /** Runs one command line after {@code bench load}, alone (tests); returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    PrintStream stdout = System.out;
    try {
      return Cli.configure(new CommandLine(new BenchLoadCommand(out, err, Path.of("")))
          .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))).execute(args);
    } finally {
      System.setOut(stdout);
    }
  }

  /** The options, checked: every error is a usage error naming the flag. */
  LoadOptions options() {
    List<String> spring = new ArrayList<>();
    for (String p : properties) {
      int eq = p.indexOf('=');
      if (!p.startsWith("--") || eq < 0 || !p.substring(2, eq).contains(".")) {
        throw Ranges.usage(spec, "unknown option '" + p + "'");
      }
      spring.add(p);
    }
    Scenario parsed;
    try {
      parsed = Scenario.parse(scenario);
    } catch (IllegalArgumentException e) {
      throw Ranges.usage(spec, "--scenario: " + e.getMessage());
    }
    Ranges.check(spec, "--seconds", seconds, 2, 3600);
    double rampSeconds = ramp != null ? ramp : Math.min(15, Math.max(1, seconds / 5.0));
    Ranges.check(spec, "--ramp", rampSeconds, 0, seconds / 2.0);
    if (url == null && (adminToken != null || apiKey != null)) {
      throw Ranges.usage(spec, "--admin-token and --api-key go with --url (the embedded system"
          + " makes its own)");
    }
    if (url != null && !spring.isEmpty()) {
      throw Ranges.usage(spec, "properties like " + spring.get(0) + " configure the embedded"
          + " system; with --url configure the running one");
    }
    if (url != null && adminToken == null && (parsed == Scenario.FAIRNESS || apiKey == null)) {
      throw Ranges.usage(spec, parsed == Scenario.FAIRNESS
          ? "--scenario fairness with --url needs --admin-token (it creates two tenants)"
          : "--url needs --admin-token (creates a tenant) or --api-key");
    }
    return new LoadOptions(parsed, url, adminToken, apiKey, seconds, rampSeconds,
        drain == null ? 0 : Ranges.check(spec, "--drain", drain, 1, 3600),
        Ranges.check(spec, "--unloaded", unloaded, 1, 1000),
        concurrency == null ? 0 : Ranges.check(spec, "--concurrency", concurrency, 1, 1024),
        model, strategy, seed, json, List.copyOf(spring));
  }

  @Override
  public Integer call() throws IOException {
    LoadOptions o = options();
    Path folder = output.folder(checkout, "bench-load-" + o.scenario().apiName());
    LoadReport report;
    PrintStream stdout = System.out;
    try {
      report = measure(o, err);
    } catch (IllegalStateException | IOException e) {
      err.println("bench load: " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("bench load: interrupted");
      return 130;
    } finally {
      System.setOut(stdout);
    }
    String text = ReportFormat.text(report);
    String jsonLine = new ObjectMapper().writeValueAsString(ReportFormat.json(report));
    out.print(text);
    if (o.json()) {
      out.println(jsonLine);
    }
    out.flush();
    Path file = folder.resolve("report.txt");
    Files.writeString(file, text + jsonLine + "\n");
    Files.writeString(folder.resolve("report.json"), jsonLine + "\n");
    err.println("bench load: wrote " + file);
    output.publish(checkout, file, "docs/benchmarks/load/" + o.scenario().apiName() + ".txt", err);
    return 0;
  }

  /** Starts or attaches to the system, runs the scenario, stops what it started. */
  private static LoadReport measure(LoadOptions o, PrintStream err)
      throws IOException, InterruptedException {
    LocalSystem system = null;
    Path home = null;
    try {
      String url = o.url();
      String admin = o.adminToken();
      int slots = 0;
      if (url == null) {
        System.setOut(err);
        home = Files.createTempDirectory("tessera-bench-load");
        err.println("bench load: starting the system in this JVM (home " + home + ") ...");
        long t0 = System.nanoTime();
        system = LocalSystem.start(home, 0, false, Map.of("spring.main.banner-mode", "off",
            "tessera.worker.models", o.model()), o.springArgs());
        url = system.url();
        admin = system.adminToken();
        slots = system.context().getBean(WorkerProperties.class).maxImages();
        err.printf("bench load: system up in %.1f s at %s%n", (System.nanoTime() - t0) / 1e9, url);
      }
      LoadClient client = new LoadClient(url);
      JsonNode model = client.model(o.model()).orElseThrow(() -> new IllegalStateException(
          "model " + o.model() + " is not served here (served: " + names(client) + ")"));
      boolean offered = false;
      for (JsonNode s : model.path("strategies")) {
        offered |= s.asText().equals(o.strategy());
      }
      if (!offered) {
        throw new IllegalStateException("model " + o.model() + " does not offer strategy "
            + o.strategy() + " (it offers " + model.path("strategies") + ")");
      }
      Map<String, String> keys = keys(o, client, admin);
      int flood = o.concurrency() > 0 ? o.concurrency()
          : 2 * (slots > 0 ? slots : DEFAULT_WORKER_SLOTS);
      LoadResult.Settings settings = new LoadResult.Settings(o.scenario(),
          system != null ? "embedded" : url, o.model(), o.strategy(), o.seconds(),
          o.rampSeconds(), flood, slots);
      LoadRun.Plan plan = new LoadRun.Plan(settings, keys, o.unloaded(), o.drainSeconds(),
          Math.max(1, model.path("num_classes").asInt(10)), o.seed());
      try (CompletionPoller poller = new CompletionPoller(client, POLL_THREADS,
          MAX_POLLS_PER_SECOND)) {
        LoadResult result = new LoadRun(client, poller, plan, err).run();
        err.printf("bench load: %d status polls (%d retried)%n", poller.polls(), poller.errors());
        return LoadReport.of(result);
      }
    } finally {
      if (system != null) {
        err.println("bench load: stopping the system ...");
        system.close();
      }
      if (home != null) {
        deleteTree(home);
      }
    }
  }

  /** An API key per tenant label: the given one, or fresh tenants (no limits) from the admin API. */
  private static Map<String, String> keys(LoadOptions o, LoadClient client, String admin)
      throws IOException, InterruptedException {
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String suffix = HexFormat.of().formatHex(random);
    Map<String, String> keys = new LinkedHashMap<>();
    for (String tenant : o.scenario().tenants()) {
      if (o.apiKey() != null && o.scenario() != Scenario.FAIRNESS) {
        keys.put(tenant, o.apiKey());
      } else {
        keys.put(tenant, client.createTenantKey(admin, "bench-load-" + o.scenario().apiName()
            + "-" + tenant + "-" + suffix));
      }
    }
    return keys;
  }

  private static String names(LoadClient client) {
    try {
      return client.modelNames();
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; leave what could not be deleted
    }
  }
}
