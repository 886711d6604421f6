package dev.tessera.infra.cluster;

import dev.tessera.infra.local.EmbeddedServers;
import dev.tessera.infra.local.LocalState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tessera as separate processes on this machine: the embedded Kafka, PostgreSQL and Redis (in this
 * JVM and its children; or external ones), then every gateway, scheduler and worker as its own JVM
 * running its deployable jar ({@link ServiceKind}). Ready when every service says so and the first
 * gateway lists the models. {@link #close} stops the workers (they drain), then the schedulers, the
 * gateways and the servers; nothing is left running.
 */
public final class LocalCluster implements AutoCloseable {

  /**
   * What to start.
   *
   * @param projectRoot where the deployables are built and {@code models/} is
   * @param home local state (PostgreSQL data, keys, {@code logs/})
   * @param gateways gateway instances (the first on {@code firstPort}, 0 for any free port)
   * @param schedulers scheduler instances (one dispatches, the others stand by)
   * @param workers worker instances (0: workers come from elsewhere, e.g. a simulated fleet)
   * @param firstPort the first gateway's port; 0 for a free one
   * @param properties Spring properties of every service (servers, models, tuning)
   */
  public record Spec(Path projectRoot, Path home, int gateways, int schedulers, int workers,
      int firstPort, Map<String, Object> properties) {

    public Spec {
      if (gateways < 1 || schedulers < 1 || workers < 0) {
        throw new IllegalArgumentException("a cluster needs a gateway and a scheduler");
      }
      properties = Map.copyOf(properties);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final Spec spec;
  private final EmbeddedServers servers;
  private final boolean ownsServers;
  private final String adminToken;
  private final ServiceLauncher launcher;
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final Map<ServiceKind, AtomicInteger> counters = new LinkedHashMap<>();
  private String apiKey;
  private boolean closed;

  private LocalCluster(Spec spec, EmbeddedServers servers, boolean ownsServers,
      String adminToken) {
    this.spec = spec;
    this.servers = servers;
    this.ownsServers = ownsServers;
    this.adminToken = adminToken;
    this.launcher = new ServiceLauncher(spec.projectRoot(), spec.home().resolve("logs"));
    for (ServiceKind kind : ServiceKind.values()) {
      counters.put(kind, new AtomicInteger());
    }
  }

  /**
   * Starts the cluster and waits until it takes requests.
   *
   * @param servers the servers to use; null: start embedded ones here (stopped by {@link #close}),
   *     or use external ones if {@code spec.properties()} names them ({@code external})
   * @param external whether the servers come from {@code spec.properties()}
   * @throws IllegalStateException if a service does not start; nothing is left running
   */
  public static LocalCluster start(Spec spec, EmbeddedServers servers, boolean external)
      throws IOException {
    Files.createDirectories(spec.home());
    String adminToken = LocalState.adminToken(spec.home());
    boolean owns = servers == null && !external;
    EmbeddedServers used = owns ? EmbeddedServers.start(spec.home(), false) : servers;
    LocalCluster cluster = new LocalCluster(spec, used, owns, adminToken);
    try {
      cluster.startAll();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() throws IOException {
    long t0 = System.nanoTime();
    Files.deleteIfExists(LocalState.devKeyFile(spec.home()).resolveSibling("dev-api-key.partial"));
    for (int i = 0; i < spec.gateways(); i++) {
      startService(ServiceKind.GATEWAY);
    }
    for (int i = 0; i < spec.schedulers(); i++) {
      startService(ServiceKind.SCHEDULER);
    }
    for (int i = 0; i < spec.workers(); i++) {
      startService(ServiceKind.WORKER);
    }
    List<ServiceProcess> all;
    synchronized (processes) {
      all = List.copyOf(processes);
    }
    for (ServiceProcess p : all) {
      p.awaitReady(READY_TIMEOUT);
    }
    apiKey = LocalState.devKey(spec.home());
    if (spec.workers() > 0) {
      awaitModels(gateways().get(0));
    }
    log.info("cluster of {} gateway(s), {} scheduler(s), {} worker(s) ready in {} ms",
        spec.gateways(), spec.schedulers(), spec.workers(), (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Starts one more instance of a service (a replacement, or growth) and returns it at once; {@link
   * ServiceProcess#awaitReady} waits for it. A worker or scheduler gets a new instance id.
   */
  public ServiceProcess startService(ServiceKind kind) {
    int n = counters.get(kind).incrementAndGet();
    int port = kind == ServiceKind.GATEWAY && n == 1 && spec.firstPort() > 0 ? spec.firstPort()
        : freePort();
    return launch(kind, n, port, false);
  }

  /**
   * Starts a service again after it died (or kills it first if it still runs), as a supervisor
   * restarts a crashed process: the same name, and for a gateway the same port, so that clients and
   * the load balancer in front keep their address. A worker or scheduler comes back under a new
   * instance id (a new incarnation: its predecessor's work is the scheduler's to re-queue). Returns
   * at once; {@link ServiceProcess#awaitReady} waits for it.
   */
  public ServiceProcess restart(ServiceProcess process) {
    if (process.isAlive()) {
      process.kill();
    }
    synchronized (processes) {
      processes.remove(process);
    }
    String name = process.name();
    int n = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    return launch(process.kind(), n, process.kind() == ServiceKind.GATEWAY ? process.port()
        : freePort(), true);
  }

  private ServiceProcess launch(ServiceKind kind, int n, int port, boolean restart) {
    String name = kind.label() + "-" + n;
    String instanceId = kind == ServiceKind.GATEWAY ? name
        : name + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    Map<String, Object> properties = new LinkedHashMap<>();
    if (servers != null) {
      properties.putAll(servers.springProperties());
    }
    properties.putAll(spec.properties());
    Map<String, String> env = new LinkedHashMap<>();
    switch (kind) {
      case GATEWAY -> {
        env.put("TESSERA_GATEWAY_ADMIN_TOKEN", adminToken);
        if (n == 1) {
          properties.put("tessera.gateway.dev-key-file", LocalState.devKeyFile(spec.home()));
        }
      }
      case SCHEDULER -> properties.put("tessera.scheduler.id", instanceId);
      default -> {
        properties.put("tessera.worker.id", instanceId);
        properties.putIfAbsent("tessera.worker.models-dir",
            spec.projectRoot().resolve("models").toAbsolutePath());
      }
    }
    ServiceProcess p = launcher.launch(kind, name, instanceId, port, properties, env, restart);
    synchronized (processes) {
      processes.add(p);
    }
    log.info("started {}", p);
    return p;
  }

  /** Waits until the gateway lists at least one model (every worker loaded its models first). */
  private void awaitModels(ServiceProcess gateway) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/models"))
            .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(5)).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"name\"")) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException e) {
        // not yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException("the gateway listed no model in " + READY_TIMEOUT);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The live processes of a kind, in start order (those stopped or killed are left out). */
  public List<ServiceProcess> running(ServiceKind kind) {
    synchronized (processes) {
      return processes.stream().filter(p -> p.kind() == kind && p.isAlive()).toList();
    }
  }

  /** The gateways started (alive or not), in start order. */
  public List<ServiceProcess> gateways() {
    synchronized (processes) {
      return processes.stream().filter(p -> p.kind() == ServiceKind.GATEWAY).toList();
    }
  }

  /** The development tenant's API key. */
  public String apiKey() {
    return apiKey;
  }

  /** The admin token. */
  public String adminToken() {
    return adminToken;
  }

  /** The embedded servers (null with external ones). */
  public EmbeddedServers servers() {
    return servers;
  }

  /**
   * Stops workers (SIGTERM: they drain, up to a minute), then schedulers and gateways, then the
   * servers this cluster started. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll(ServiceKind.WORKER, Duration.ofSeconds(60));
    stopAll(ServiceKind.SCHEDULER, Duration.ofSeconds(20));
    stopAll(ServiceKind.GATEWAY, Duration.ofSeconds(20));
    if (ownsServers) {
      servers.close();
    }
  }

  private void stopAll(ServiceKind kind, Duration grace) {
    List<Thread> stoppers = new ArrayList<>();
    for (ServiceProcess p : running(kind)) {
      Thread t = new Thread(() -> {
        if (!p.stop(grace)) {
          log.warn("{} did not stop in {}; killed", p, grace);
        }
      }, "stop-" + p.name());
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
