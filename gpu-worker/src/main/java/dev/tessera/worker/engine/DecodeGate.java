package dev.tessera.worker.engine;

import org.springframework.context.SmartLifecycle;

/**
 * Tells the decode loop to stop between two steps when the application shuts down. It stops before
 * the Kafka listener containers (a higher phase stops first), so a long batch does not hold up the
 * shutdown: it is abandoned unacknowledged, and redelivered to a worker later.
 */
public class DecodeGate implements SmartLifecycle {

  private volatile boolean open;

  /** Whether the worker is stopping (or not started yet). */
  public boolean stopping() {
    return !open;
  }

  @Override
  public void start() {
    open = true;
  }

  @Override
  public void stop() {
    open = false;
  }

  @Override
  public boolean isRunning() {
    return open;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
