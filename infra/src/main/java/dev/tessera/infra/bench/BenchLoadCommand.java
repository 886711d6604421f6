package dev.tessera.infra.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.infra.local.LocalSystem;
import dev.tessera.worker.WorkerProperties;
import dev.tessera.worker.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./tessera bench load}: starts the system in this JVM (or uses a running one with
 * {@code --url}), creates its own tenants through the admin API, runs a {@link Scenario} with a
 * bounded, self-stopping request loop, stops what it started, and prints the {@link LoadReport}:
 * text, then with {@code --json} one JSON object as the last line of standard output. Progress and
 * the system's logs go to standard error.
 */
public final class BenchLoadCommand {

  /** {@code tessera.worker.max-images}'s default: the slots assumed for a running system. */
  static final int DEFAULT_WORKER_SLOTS = 16;
  private static final double MAX_POLLS_PER_SECOND = 50;
  private static final int POLL_THREADS = 2;

  private BenchLoadCommand() {}

  /** Runs the command with the process's standard streams; returns the exit code. */
  public static int run(String[] args) {
    PrintStream stdout = System.out;
    try {
      return run(args, stdout, System.err);
    } finally {
      System.setOut(stdout);
    }
  }

  /**
   * Runs the command.
   *
   * @param out where the report goes
   * @param err progress and errors; with the embedded system, {@code System.out} is pointed here
   *     while it runs, so that its logs do not mix with the report
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    LoadOptions o;
    try {
      o = LoadOptions.parse(args);
    } catch (UsageException e) {
      err.println((e.getMessage().isEmpty() ? "" : e.getMessage() + "\n") + LoadOptions.USAGE);
      return 2;
    }
    LoadReport report;
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
    }
    out.print(ReportFormat.text(report));
    if (o.json()) {
      try {
        out.println(new ObjectMapper().writeValueAsString(ReportFormat.json(report)));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the JSON report", e);
      }
    }
    out.flush();
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
