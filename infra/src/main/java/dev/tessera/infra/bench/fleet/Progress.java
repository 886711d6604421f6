package dev.tessera.infra.bench.fleet;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/** Prints the load's progress with an ETA every 5 s, until interrupted. */
final class Progress {

  private Progress() {}

  static Thread start(PrintStream err, long startNanos, long endNanos, LongSupplier finished) {
    Thread t = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(5000);
          long now = System.nanoTime();
          err.printf("bench fleet: %.0f/%.0f s of load, %d images finished; ETA ~%.0f s%n",
              (now - startNanos) / 1e9, (endNanos - startNanos) / 1e9, finished.getAsLong(),
              Math.max(0, (endNanos - now) / 1e9));
        }
      } catch (InterruptedException e) {
        // done
      }
    }, "fleet-progress");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
