package dev.tessera.infra.cluster;

import java.nio.file.Path;

/** A service that runs as its own process, and where its deployable jar is built. */
public enum ServiceKind {
  GATEWAY("gateway", "api-gateway/target/tessera-gateway.jar"),
  SCHEDULER("scheduler", "scheduler/target/tessera-scheduler.jar"),
  WORKER("worker", "gpu-worker/target/tessera-worker.jar");

  private final String label;
  private final String jar;

  ServiceKind(String label, String jar) {
    this.label = label;
    this.jar = jar;
  }

  /** Lower-case name: process names ({@code worker-2}), logs, the {@code ./tessera} commands. */
  public String label() {
    return label;
  }

  /** The deployable jar under the project root. */
  public Path jar(Path projectRoot) {
    return projectRoot.resolve(jar);
  }
}
