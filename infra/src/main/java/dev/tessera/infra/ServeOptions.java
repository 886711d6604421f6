package dev.tessera.infra;

import java.nio.file.Path;
import java.util.List;

/**
 * Options of {@code ./tessera serve}, as parsed by {@link ServeCommand}.
 *
 * @param port HTTP port
 * @param external use the Kafka, PostgreSQL and Redis in the configuration instead of embedded ones
 * @param home directory for local state (PostgreSQL data, the development key)
 * @param springArgs remaining {@code --name=value} arguments, passed to Spring as properties
 * @param gateways gateway processes (all three 1: everything in this one process)
 * @param schedulers scheduler processes
 * @param workers worker processes
 */
record ServeOptions(int port, boolean external, Path home, List<String> springArgs, int gateways,
    int schedulers, int workers) {

  /** Whether each service runs as its own process (any count above 1). */
  boolean cluster() {
    return gateways > 1 || schedulers > 1 || workers > 1;
  }
}
