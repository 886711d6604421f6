package dev.tessera.worker.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one thread of a worker that touches tensors: models load on it and the decode loop runs on
 * it. PyTorch's CPU kernels run on an OpenMP team per calling thread, and libgomp throttles its
 * spin-waiting to almost nothing once the teams' threads outnumber the cores: with the models
 * loaded on one thread and decoded on another, every step paid a sleep and wake-up per parallel
 * op, and a one-image step took 5.5 ms instead of 2.0 ms on two cores (`./tessera bench step`
 * against the same loop on a second thread). One thread, one team, of a configured size.
 */
public final class TorchThread implements AutoCloseable {

  /** The thread's name, as it shows in logs and thread dumps. */
  public static final String NAME = "tessera-decode";

  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, NAME);
    t.setDaemon(true);
    return t;
  });

  /** Starts the thread and gives its OpenMP team {@code intraOpThreads} threads. */
  public TorchThread(int intraOpThreads) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intra-op threads must be >= 1, was " + intraOpThreads);
    }
    call(() -> {
      Engine.getEngine("PyTorch"); // loads the native library
      JniUtils.setNumThreads(intraOpThreads);
      return null;
    });
  }

  /** Intra-op threads of this thread's kernels, as PyTorch reports them. */
  public int intraOpThreads() {
    return call(JniUtils::getNumThreads);
  }

  /** Runs {@code work} on the thread and waits for its result; its exception is rethrown. */
  public <T> T call(Callable<T> work) {
    Future<T> result = executor.submit(work);
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.cancel(true);
      throw new IllegalStateException("interrupted while waiting for the " + NAME + " thread", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Starts {@code loop} on the thread; work submitted later waits until it returns. */
  public Future<?> start(Runnable loop) {
    return executor.submit(loop);
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
