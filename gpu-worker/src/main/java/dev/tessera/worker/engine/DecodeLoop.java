package dev.tessera.worker.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The loop that drives the {@link DecodeEngine}, on the worker's {@link TorchThread}. It stops before the Kafka listener containers (a
 * higher phase stops first), between two steps, abandoning what it holds without results: the
 * worker's last heartbeat says it is leaving, and the scheduler re-queues every request it had
 * dispatched to this worker that has no terminal result.
 */
public final class DecodeLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DecodeLoop.class);
  private static final long IDLE_WAIT_MS = 50;

  private final DecodeEngine engine;
  private final TorchThread torch;
  private volatile boolean running;
  private Future<?> loop;

  public DecodeLoop(DecodeEngine engine, TorchThread torch) {
    this.engine = engine;
    this.torch = torch;
  }

  @Override
  public void start() {
    running = true;
    loop = torch.start(this::run);
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
    if (loop != null) {
      try {
        loop.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("decode loop did not stop cleanly: {}", e.toString());
      }
      loop = null;
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
