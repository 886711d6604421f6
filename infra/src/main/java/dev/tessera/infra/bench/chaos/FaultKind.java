package dev.tessera.infra.bench.chaos;

import dev.tessera.infra.local.EmbeddedServers.Server;
import dev.tessera.infra.cluster.ServiceKind;

/** What the chaos schedule does to the cluster. */
public enum FaultKind {
  /** SIGKILL of a gateway (and the result recorder in it), restarted on its port. */
  KILL_GATEWAY(ServiceKind.GATEWAY, null),
  /** SIGKILL of a scheduler (the active one or a standby), restarted as a new instance. */
  KILL_SCHEDULER(ServiceKind.SCHEDULER, null),
  /** SIGKILL of a worker mid-decode, restarted as a new instance. */
  KILL_WORKER(ServiceKind.WORKER, null),
  /** SIGSTOP of a scheduler for the fault's duration, then SIGCONT (a stall, not a death). */
  FREEZE_SCHEDULER(ServiceKind.SCHEDULER, null),
  /** SIGSTOP of a worker for the fault's duration, then SIGCONT. */
  FREEZE_WORKER(ServiceKind.WORKER, null),
  /** Kafka stopped for the fault's duration, then started on its port with its log. */
  KAFKA_OUTAGE(null, Server.KAFKA),
  /** PostgreSQL stopped for the fault's duration, then started with its data. */
  POSTGRESQL_OUTAGE(null, Server.POSTGRESQL),
  /** Redis stopped (after a snapshot) for the fault's duration, then started with its keys. */
  REDIS_OUTAGE(null, Server.REDIS);

  private final ServiceKind service;
  private final Server server;

  FaultKind(ServiceKind service, Server server) {
    this.service = service;
    this.server = server;
  }

  /** The service a kill or freeze hits; null for an outage. */
  public ServiceKind service() {
    return service;
  }

  /** The server an outage takes away; null for a kill or freeze. */
  public Server server() {
    return server;
  }

  /** Whether the fault lasts (an outage or a freeze) rather than happening at once (a kill). */
  public boolean lasts() {
    return server != null || name().startsWith("FREEZE");
  }

  /** {@code kill-worker}, {@code kafka-outage}: for reports. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
