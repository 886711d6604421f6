package dev.tessera.infra.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the clients saw second by second (cumulative counts), for the run's plot: requests accepted,
 * requests the clients saw finish, 503 answers, calls without an answer.
 */
final class Timeline {

  /** One sample. */
  record Point(double t, long accepted, long finished, long unavailable, long noAnswer) {}

  private final List<Point> points = new ArrayList<>();
  private Thread sampler;

  /** Samples every second until {@link #stop}. */
  void start(long t0, LongSupplier accepted, LongSupplier finished, LongSupplier unavailable,
      LongSupplier noAnswer) {
    sampler = new Thread(() -> {
      try {
        while (true) {
          Point p = new Point((System.nanoTime() - t0) / 1e9, accepted.getAsLong(),
              finished.getAsLong(), unavailable.getAsLong(), noAnswer.getAsLong());
          synchronized (points) {
            points.add(p);
          }
          Thread.sleep(1000);
        }
      } catch (InterruptedException e) {
        // stopped
      }
    }, "chaos-timeline");
    sampler.setDaemon(true);
    sampler.start();
  }

  void stop() throws InterruptedException {
    if (sampler != null) {
      sampler.interrupt();
      sampler.join();
    }
  }

  List<Point> points() {
    synchronized (points) {
      return List.copyOf(points);
    }
  }

  /** CSV with a header line. */
  String csv() {
    StringBuilder b = new StringBuilder("t_s,accepted,finished,http_503,no_answer\n");
    for (Point p : points()) {
      b.append(String.format(java.util.Locale.ROOT, "%.1f,%d,%d,%d,%d%n", p.t(), p.accepted(),
          p.finished(), p.unavailable(), p.noAnswer()));
    }
    return b.toString();
  }
}
