package dev.tessera.infra.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches accepted generations until they end, by polling {@code GET /v1/generations/{id}} (the API
 * has no push channel). A few threads take whichever request is due next; a RUNNING request is
 * polled again sooner than a queued one, and the total poll rate is capped so that the instrument
 * does not load the machine it measures. The cap bounds the resolution of the client-observed
 * latency; the server's own timestamps are exact regardless.
 */
final class CompletionPoller implements AutoCloseable {

  /** A terminal view, and when ({@link System#nanoTime}) a poll saw it. */
  record Seen(View view, long seenNanos) {}

  private static final Duration FIRST_POLL = Duration.ofMillis(50);
  private static final Duration RETRY = Duration.ofMillis(500);

  private final LoadClient client;
  private final long spacingNanos;
  private final DelayQueue<Due> queue = new DelayQueue<>();
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param threadCount polling threads
   * @param maxPollsPerSecond cap on the GETs of all threads together
   */
  CompletionPoller(LoadClient client, int threadCount, double maxPollsPerSecond) {
    this.client = client;
    this.spacingNanos = (long) (threadCount * 1e9 / maxPollsPerSecond);
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::loop, "bench-load-poller-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** The delay before polling a request again, given the state the last poll saw. */
  static Duration nextPoll(String status) {
    return "RUNNING".equals(status) ? Duration.ofMillis(100) : Duration.ofMillis(250);
  }

  /** Completes with the request's terminal view; exceptionally if the gateway does not know it. */
  CompletableFuture<Seen> await(String key, String id) {
    Tracked t = new Tracked(key, id, new CompletableFuture<>());
    tracked.put(id, t);
    queue.add(new Due(id, System.nanoTime() + FIRST_POLL.toNanos()));
    return t.future();
  }

  /** Stops watching a request (the caller gave up on it). */
  void forget(String id) {
    tracked.remove(id);
  }

  /** GETs so far. */
  long polls() {
    return polls.get();
  }

  /** GETs that failed (no answer or an unexpected status) and were retried. */
  long errors() {
    return errors.get();
  }

  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(35));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void loop() {
    while (!closed) {
      Due due;
      try {
        due = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      Tracked t = due == null ? null : tracked.get(due.id());
      if (t == null) {
        continue;
      }
      long t0 = System.nanoTime();
      poll(t);
      long rest = spacingNanos - (System.nanoTime() - t0);
      if (rest > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(rest);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void poll(Tracked t) {
    polls.incrementAndGet();
    LoadClient.Answer a;
    try {
      a = client.view(t.key(), t.id());
    } catch (IOException e) {
      errors.incrementAndGet();
      again(t.id(), RETRY);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long seen = System.nanoTime();
    if (a.status() == 200 && a.body() != null) {
      View view = View.of(a.body());
      if (View.terminal(view.status())) {
        tracked.remove(t.id());
        t.future().complete(new Seen(view, seen));
      } else {
        again(t.id(), nextPoll(view.status()));
      }
    } else if (a.status() == 404) {
      tracked.remove(t.id());
      t.future().completeExceptionally(new IOException("the gateway does not know " + t.id()));
    } else {
      errors.incrementAndGet();
      again(t.id(), RETRY);
    }
  }

  private void again(String id, Duration delay) {
    if (tracked.containsKey(id)) {
      queue.add(new Due(id, System.nanoTime() + delay.toNanos()));
    }
  }

  private record Tracked(String key, String id, CompletableFuture<Seen> future) {}

  private record Due(String id, long atNanos) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(atNanos, ((Due) o).atNanos);
    }
  }
}
