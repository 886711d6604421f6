package dev.tessera.infra.bench.chaos;

import dev.tessera.infra.cluster.LocalCluster;
import dev.tessera.infra.cluster.ServiceProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chaos run: starts the multi-process cluster, runs the load and the fault schedule for the
 * run's length, stops the load, waits for every accepted request to end, reconciles, stops the
 * cluster. Progress (with an ETA) goes to {@code progress}.
 */
public final class ChaosRun {

  /**
   * What to run.
   *
   * @param seconds how long the load runs at least; with a seeded schedule, faults start only while
   *     one can end before the load does; a given schedule runs whole, and the load with it
   * @param ratePerSecond requests per second from all tenants together
   * @param giveUpSeconds how long a client keeps retrying one request
   * @param schedule the faults in order; null for {@link ChaosSchedule#seeded} from {@code seed}
   * @param serviceProperties Spring properties of every service (models, tuning)
   */
  public record Settings(int seconds, long seed, int gateways, int schedulers, int workers,
      int tenants, double ratePerSecond, int outageSeconds, int freezeSeconds,
      double minGapSeconds, double giveUpSeconds, Duration drainTimeout, Duration probeLimit,
      String model, Map<String, Object> serviceProperties, List<PlannedFault> schedule) {

    public Settings {
      if (seconds < 1 || tenants < 1 || ratePerSecond <= 0 || gateways < 1 || schedulers < 1
          || workers < 1) {
        throw new IllegalArgumentException("seconds, tenants, rate, gateways, schedulers and "
            + "workers must be positive");
      }
      serviceProperties = Map.copyOf(serviceProperties);
      schedule = schedule == null ? null : List.copyOf(schedule);
    }
  }

  private final Path projectRoot;
  private final Path home;
  private final Settings settings;
  private final PrintStream progress;
  private final Timeline timeline = new Timeline();

  public ChaosRun(Path projectRoot, Path home, Settings settings, PrintStream progress) {
    this.projectRoot = projectRoot;
    this.home = home;
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs everything and returns the report; the cluster is stopped whatever happens. */
  public ChaosReport run() throws IOException, InterruptedException {
    Settings s = settings;
    progress.printf("bench chaos: starting %d gateway(s), %d scheduler(s), %d worker(s) ...%n",
        s.gateways(), s.schedulers(), s.workers());
    try (LocalCluster cluster = LocalCluster.start(new LocalCluster.Spec(projectRoot, home,
        s.gateways(), s.schedulers(), s.workers(), 0, s.serviceProperties()), null, false)) {
      return runOn(cluster);
    }
  }

  private ChaosReport runOn(LocalCluster cluster) throws InterruptedException {
    Settings s = settings;
    CarefulClient client = new CarefulClient(cluster.gateways().stream()
        .map(ServiceProcess::url).toList());
    Tenants tenants = Tenants.create(client, cluster.adminToken(), s.tenants());
    HttpTally tally = new HttpTally();
    StatusWatcher watcher = new StatusWatcher(client);
    ChaosLoad load = new ChaosLoad(client, tenants.load(), s.ratePerSecond(), s.seed(), s.model(),
        tally, watcher, s.giveUpSeconds());
    FaultInjector injector = new FaultInjector(cluster, client, tenants.probe(), s.model(),
        s.probeLimit());
    boolean timed = s.schedule() == null; // a given schedule runs whole, however long it takes
    List<PlannedFault> schedule = timed
        ? ChaosSchedule.seeded(s.seed(), s.outageSeconds(), s.freezeSeconds(), s.minGapSeconds())
        : s.schedule();

    Instant usageFrom = Instant.now().minus(Duration.ofDays(1));
    long t0 = System.nanoTime();
    watcher.start();
    load.start();
    timeline.start(t0, load::accepted, watcher::finished, tally::unavailable, tally::noAnswer);
    List<FaultRecord> faults = new ArrayList<>();
    Iterator<PlannedFault> next = schedule.iterator();
    while (next.hasNext()) {
      PlannedFault fault = next.next();
      double start = elapsed(t0) + fault.gapSeconds();
      if (timed && start + fault.seconds() + 5 > s.seconds()) {
        break;
      }
      sleepUntil(t0, start);
      FaultRecord record = injector.inject(fault, start);
      if (record != null) {
        faults.add(record);
        progress.printf("bench chaos: %.0f/%d s: %s of %s, recovered %s; %d accepted so far; "
            + "ETA ~%.0f s of load%n", elapsed(t0), s.seconds(), record.kind(), record.target(),
            record.recoveryS() == null ? "NOT within " + s.probeLimit().toSeconds() + " s"
                : String.format("after %.1f s", record.recoveryS()), load.accepted(),
            Math.max(0, s.seconds() - elapsed(t0)));
      }
    }
    while (elapsed(t0) < s.seconds()) {
      sleepUntil(t0, Math.min(s.seconds(), elapsed(t0) + 10));
      progress.printf("bench chaos: %.0f/%d s, %d accepted; ETA ~%.0f s of load%n", elapsed(t0),
          s.seconds(), load.accepted(), Math.max(0, s.seconds() - elapsed(t0)));
    }
    progress.println("bench chaos: load stopped; waiting for the clients' last retries ...");
    load.stop();
    long drainStart = System.nanoTime();
    RunStores stores = new RunStores(cluster.servers());
    long drainDeadline = drainStart + s.drainTimeout().toNanos();
    long unfinished;
    while ((unfinished = stores.unfinished(tenants.idsToNames().keySet())) > 0
        && System.nanoTime() < drainDeadline) {
      progress.printf("bench chaos: draining, %d accepted requests not finished yet%n",
          unfinished);
      Thread.sleep(2000);
    }
    double drainS = (System.nanoTime() - drainStart) / 1e9;
    timeline.stop();
    watcher.stop();
    watcher.lookAgainAtAll();

    Map<String, Long> usageImages = new LinkedHashMap<>();
    for (Tenant t : tenants.all()) {
      usageImages.put(t.name(), tenants.usageImages(client, t, usageFrom));
    }
    List<StoredGeneration> stored = stores.generations(tenants.idsToNames());
    Map<String, String> cached = stores.cachedStatus(
        new java.util.HashSet<>(stored.stream().map(StoredGeneration::id).toList()));
    Reconciliation r = Reconciliation.of(stored, load.tickets(), watcher.watches(), usageImages,
        stores.terminalResults(), cached);
    return new ChaosReport(s.seconds(), s.seed(), s.gateways() + " gateways, " + s.schedulers()
        + " schedulers, " + s.workers() + " workers", s.model(), s.ratePerSecond(),
        load.tickets().size(), r.accepted(), r.succeeded(), r.failed(), r.lost(), r.duplicated(),
        r.billingMismatches(), tally.serverErrors(), tally.unavailable(),
        tally.unavailableWithoutRetryAfter(), tally.noAnswer(), tally.slow(), tally.slowUnavailable(),
        tally.quantileMs(0.5), tally.quantileMs(0.99), r.storedButRefused(), r.cacheMismatches(),
        r.decodedTwice(), r.abandoned(), r.refused(), faults, ChaosReport.maxRecovery(faults),
        drainS, r.problems(), tally.serverErrorSamples());
  }

  /** The clients' view second by second (after {@link #run}), as CSV. */
  public String timelineCsv() {
    return timeline.csv();
  }

  private static double elapsed(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void sleepUntil(long t0, double second) throws InterruptedException {
    long wait = (long) ((second - elapsed(t0)) * 1000);
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
