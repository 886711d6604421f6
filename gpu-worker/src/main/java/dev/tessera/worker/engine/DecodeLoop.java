package dev.tessera.worker.engine;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The thread that drives the {@link DecodeEngine}. It stops before the Kafka listener containers (a
 * higher phase stops first), between two steps, abandoning what it holds without results: the
 * worker's last heartbeat says it is leaving, and the scheduler re-queues every request it had
 * dispatched to this worker that has no terminal result.
 */
public final class DecodeLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DecodeLoop.class);
  private static final long IDLE_WAIT_MS = 50;

  private final DecodeEngine engine;
  private volatile boolean running;
  private Thread thread;

  public DecodeLoop(DecodeEngine engine) {
    this.engine = engine;
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "tessera-decode");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        engine.iterate(IDLE_WAIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("decode loop error; continuing", e);
      }
    }
    int abandoned = engine.abandonAll();
    if (abandoned > 0) {
      log.info("stopping: abandoned {} request(s); the scheduler re-queues them", abandoned);
    }
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 50; // before the listener containers (MAX_VALUE - 100)
  }
}
