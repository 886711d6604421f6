package dev.tessera.infra.bench.chaos;

import dev.tessera.infra.local.EmbeddedServers;
import dev.tessera.infra.cluster.LocalCluster;
import dev.tessera.infra.cluster.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does one planned fault to the cluster, repairs it (server started again, process thawed, killed
 * process restarted as a supervisor would), and measures the recovery with a probe: a high-priority
 * request from its own tenant, sent as a careful client sends it, until one SUCCEEDED.
 */
final class FaultInjector {

  private final LocalCluster cluster;
  private final EmbeddedServers servers;
  private final CarefulClient client;
  private final Tenant probeTenant;
  private final String model;
  private final Duration probeLimit;
  private final AtomicLong calls = new AtomicLong();

  FaultInjector(LocalCluster cluster, CarefulClient client, Tenant probeTenant, String model,
      Duration probeLimit) {
    this.cluster = cluster;
    this.servers = cluster.servers();
    this.client = client;
    this.probeTenant = probeTenant;
    this.model = model;
    this.probeLimit = probeLimit;
  }

  /**
   * Does the fault and waits for the recovery.
   *
   * @param atS when it begins, seconds after the load started (for the record)
   * @return what happened, or null if there was nothing to hit (no process of the kind runs)
   */
  FaultRecord inject(PlannedFault fault, double atS) throws InterruptedException {
    FaultKind kind = fault.kind();
    long t0 = System.nanoTime();
    String target;
    ServiceProcess restarted = null;
    if (kind.server() != null) {
      target = kind.server().name().toLowerCase(java.util.Locale.ROOT);
      servers.stop(kind.server());
      Thread.sleep(fault.seconds() * 1000L); // the outage's length is the schedule's, not a wait
      servers.start(kind.server());
    } else {
      List<ServiceProcess> running = cluster.running(kind.service());
      if (running.isEmpty()) {
        return null;
      }
      ServiceProcess victim = running.get(fault.pick() % running.size());
      target = victim.name();
      if (kind.lasts()) {
        victim.freeze();
        try {
          Thread.sleep(fault.seconds() * 1000L);
        } finally {
          victim.thaw();
        }
      } else {
        victim.kill();
        restarted = cluster.restart(victim);
      }
    }
    long repaired = System.nanoTime();
    double lasted = kind.lasts() ? (repaired - t0) / 1e9 : 0;
    boolean recovered = probe(repaired + probeLimit.toNanos());
    if (restarted != null) {
      long left = repaired + probeLimit.toNanos() - System.nanoTime();
      try {
        restarted.awaitReady(Duration.ofNanos(Math.max(left, 1)));
      } catch (IllegalStateException e) {
        recovered = false;
      }
    }
    Double recovery = recovered ? (System.nanoTime() - repaired) / 1e9 : null;
    return new FaultRecord(kind.label(), target, atS, lasted, recovery);
  }

  /** Sends probe requests until one SUCCEEDED (true) or the deadline passes (false). */
  private boolean probe(long deadline) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      String key = UUID.randomUUID().toString();
      String body = "{\"model\":\"" + model + "\",\"class_label\":0,\"priority\":\"high\"}";
      String id = null;
      while (id == null && System.nanoTime() < deadline) {
        CarefulClient.Answer a = client.submit(client.gateway(calls.getAndIncrement()),
            probeTenant.apiKey(), key, body);
        if (a.status() == 202) {
          id = a.id();
        } else {
          Thread.sleep(250);
        }
      }
      while (id != null && System.nanoTime() < deadline) {
        CarefulClient.Answer a = client.view(client.gateway(calls.getAndIncrement()),
            probeTenant.apiKey(), id);
        String status = a.status() == 200 ? a.body().path("status").asText() : null;
        if ("SUCCEEDED".equals(status)) {
          return true;
        }
        if (StatusWatcher.terminal(status)) {
          break; // failed or expired: probe again
        }
        Thread.sleep(250);
      }
    }
    return false;
  }
}
