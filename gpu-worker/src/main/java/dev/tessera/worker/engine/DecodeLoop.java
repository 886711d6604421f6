package dev.tessera.worker.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The loop that drives the {@link DecodeEngine}, on the worker's {@link TorchThread}. Stopping it
 * (SIGTERM) drains the worker, after the mailbox has stopped taking batches: the requests not
 * started are handed back at once ({@link Drain}; the heartbeat tells the scheduler, which queues
 * them again), what decodes goes on for up to {@code drainTimeout} and publishes its results, and
 * what is still decoding then is abandoned without results. The worker's last heartbeat says it is
 * leaving and lists everything it gave back (handed back or abandoned), which the scheduler queues
 * again; the results of what it finished are on Kafka already.
 */
public final class DecodeLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DecodeLoop.class);
  private static final long IDLE_WAIT_MS = 50;

  private final DecodeEngine engine;
  private final TorchThread torch;
  private final Drain drain;
  private final Duration drainTimeout;
  private volatile boolean running;
  private Future<?> loop;

  /** A loop that abandons what it holds when stopped (tests). */
  public DecodeLoop(DecodeEngine engine, TorchThread torch) {
    this(engine, torch, new Drain(), Duration.ZERO);
  }

  /** A loop that drains for up to {@code drainTimeout} when stopped. */
  public DecodeLoop(DecodeEngine engine, TorchThread torch, Drain drain, Duration drainTimeout) {
    this.engine = engine;
    this.torch = torch;
    this.drain = drain;
    this.drainTimeout = drainTimeout;
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
    drain();
    List<String> abandoned = engine.abandonAllIds();
    drain.giveBack(abandoned);
    if (!abandoned.isEmpty()) {
      log.info("stopping: abandoned {} request(s); the scheduler re-queues them",
          abandoned.size());
    }
  }

  /** Hands back what has not started, then decodes what has, for up to the drain timeout. */
  private void drain() {
    List<String> back = engine.handBackWaiting();
    drain.begin(back);
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    log.info("draining: handed back {} request(s) not started; finishing {} within {}",
        back.size(), engine.held(), drainTimeout);
    try {
      while (engine.held() > 0 && System.nanoTime() < deadline) {
        engine.iterate(0);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("decode loop error while draining; abandoning the rest", e);
    }
  }

  @Override
  public void stop() {
    running = false;
    if (loop != null) {
      try {
        loop.get(drainTimeout.toSeconds() + 30, TimeUnit.SECONDS);
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
