package dev.tessera.infra.bench;

import dev.tessera.infra.bench.Sample.Phase;
import dev.tessera.infra.bench.Scenario.ClientPlan;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of a scenario against a system that takes requests: one warm-up request, the
 * unloaded phase (the compared class, one request at a time), then the loaded phase (closed-loop
 * clients per {@link Scenario#loaded}) for a fixed time, then a bounded drain: requests still
 * unfinished when it ends are cancelled, so nothing of the benchmark is left running.
 */
final class LoadRun {

  /** Longest wait for one request of the warm-up and unloaded phases. */
  static final Duration SEQUENTIAL_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final long MAX_BACKOFF_MS = 2000;
  static final Duration MIN_DRAIN = Duration.ofSeconds(30);
  static final Duration MAX_DRAIN = Duration.ofMinutes(10);

  /**
   * @param keys API key per tenant label of the scenario
   * @param drainSeconds longest wait for unfinished requests after the loaded phase; 0 for
   *     {@link #autoDrain}
   * @param numClasses classes of the model; requests cycle through them
   */
  record Plan(LoadResult.Settings settings, Map<String, String> keys, int unloaded,
      int drainSeconds, int numClasses, long seed) {}

  private final LoadClient client;
  private final CompletionPoller poller;
  private final Plan plan;
  private final PrintStream progress;
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong next = new AtomicLong();
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  LoadRun(LoadClient client, CompletionPoller poller, Plan plan, PrintStream progress) {
    this.client = client;
    this.poller = poller;
    this.plan = plan;
    this.progress = progress;
  }

  /** Runs every phase; returns what was observed. */
  LoadResult run() throws InterruptedException {
    LoadResult.Settings s = plan.settings();
    // one request first, not measured: class loading, JIT, the decoder's first allocation
    long t0 = System.nanoTime();
    String first = s.scenario().tenants().get(0);
    Sample warm = once(first, "normal", Phase.WARMUP, System.nanoTime()
        + SEQUENTIAL_TIMEOUT.toNanos());
    if (!warm.succeeded()) {
      throw new IllegalStateException("the warm-up request did not succeed: POST "
          + warm.httpStatus() + (warm.view() == null ? "" : ", " + warm.view().status()));
    }
    double perRequest = (System.nanoTime() - t0) / 1e9;
    progress.printf("bench load: warm-up request done in %.1f s%n", perRequest);
    ClientPlan alone = s.scenario().unloaded();
    for (int i = 1; i <= plan.unloaded(); i++) {
      Sample one = once(alone.tenant(), alone.priority(), Phase.UNLOADED,
          System.nanoTime() + SEQUENTIAL_TIMEOUT.toNanos());
      if (one.view() != null && one.view().endToEndMs() != null) {
        perRequest = one.view().endToEndMs() / 1000.0;
      }
      progress.printf("bench load: unloaded %d/%d (%s) %s; ETA ~%.0f s%n", i, plan.unloaded(),
          s.scenario().compared(), one.view() == null ? "POST " + one.httpStatus()
              : one.view().status() + " in " + one.view().endToEndMs() + " ms end-to-end",
          (plan.unloaded() - i) * perRequest + s.loadedSeconds() + perRequest);
    }
    return loaded();
  }

  private LoadResult loaded() throws InterruptedException {
    LoadResult.Settings s = plan.settings();
    List<ClientPlan> clients = s.scenario().loaded(s.flood());
    int threads = clients.stream().mapToInt(ClientPlan::clients).sum();
    Instant startAt = Instant.now();
    long start = System.nanoTime();
    long windowStart = start + (long) (s.rampSeconds() * 1e9);
    long end = start + (long) (s.loadedSeconds() * 1e9);
    // fixed when the loaded phase ends; until then the clients wait without a deadline
    AtomicLong drainEnd = new AtomicLong(Long.MAX_VALUE);
    progress.printf("bench load: loaded phase, %s, for %.0f s (first %.0f s not measured)%n",
        s.scenario().describe(s.flood()), s.loadedSeconds(), s.rampSeconds());
    Counts before = counts();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
        "bench-load-progress"));
    ticker.scheduleAtFixedRate(() -> progress.println(progressLine(start, end, drainEnd.get(),
        before)), PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> daemon(r,
        "bench-load-client-" + ids.getAndIncrement()));
    try {
      for (ClientPlan c : clients) {
        for (int i = 0; i < c.clients(); i++) {
          pool.submit(() -> closedLoop(c, windowStart, end, drainEnd));
        }
      }
      pool.shutdown();
      TimeUnit.NANOSECONDS.sleep(end - System.nanoTime());
      double rate = (finished.get() - before.finished()) / s.loadedSeconds();
      Duration drain = plan.drainSeconds() > 0 ? Duration.ofSeconds(plan.drainSeconds())
          : autoDrain(inFlight.get(), rate);
      drainEnd.set(end + drain.toNanos());
      progress.printf("bench load: loaded phase over; waiting at most %d s for %d unfinished"
          + " request(s), then cancelling the rest%n", drain.toSeconds(), inFlight.get());
      if (!pool.awaitTermination(drain.toSeconds() + 60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the load clients did not stop after the drain");
      }
    } finally {
      ticker.shutdownNow();
      pool.shutdownNow();
    }
    Counts after = counts();
    progress.printf("bench load: loaded phase done; %d submitted, %d finished, %d refused"
        + " (non-202)%n", after.submitted() - before.submitted(),
        after.finished() - before.finished(), after.refused() - before.refused());
    return new LoadResult(s, List.copyOf(samples), startAt.plusNanos(windowStart - start),
        startAt.plusNanos(end - start));
  }

  /**
   * The default drain: three times what the unfinished requests need at the loaded phase's rate,
   * at least {@link #MIN_DRAIN} and at most {@link #MAX_DRAIN} (also when nothing finished).
   */
  static Duration autoDrain(int unfinished, double finishedPerSecond) {
    if (unfinished == 0) {
      return MIN_DRAIN;
    }
    if (!(finishedPerSecond > 0)) {
      return MAX_DRAIN;
    }
    long seconds = (long) Math.ceil(3 * unfinished / finishedPerSecond);
    return Duration.ofSeconds(Math.max(MIN_DRAIN.toSeconds(),
        Math.min(MAX_DRAIN.toSeconds(), seconds)));
  }

  /** One closed-loop client: submit, wait for the end, pause, until the loaded phase ends. */
  private Void closedLoop(ClientPlan c, long windowStart, long end, AtomicLong drainEnd)
      throws InterruptedException {
    long now;
    while ((now = System.nanoTime()) < end) {
      Outcome o = submit(c.tenant(), c.priority(),
          now < windowStart ? Phase.RAMP : Phase.LOADED, drainEnd);
      long pauseMs = o.sample().httpStatus() == 202 ? c.think().toMillis()
          : Math.min(MAX_BACKOFF_MS, Math.max(200, o.retryAfterMs()));
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (pauseMs > 0 && left > 0) {
        Thread.sleep(Math.min(pauseMs, left));
      }
    }
    return null;
  }

  /** A sample, and the {@code Retry-After} (ms) of a refused POST. */
  private record Outcome(Sample sample, long retryAfterMs) {}

  private Sample once(String tenant, String priority, Phase phase, long deadline)
      throws InterruptedException {
    return submit(tenant, priority, phase, new AtomicLong(deadline)).sample();
  }

  /**
   * Submits one request and waits for its end until {@code deadline} ({@link System#nanoTime},
   * read again while waiting: it may be set later); records its sample.
   */
  private Outcome submit(String tenant, String priority, Phase phase, AtomicLong deadline)
      throws InterruptedException {
    String key = plan.keys().get(tenant);
    long i = next.getAndIncrement();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", plan.settings().model());
    body.put("class_label", (int) (i % plan.numClasses()));
    body.put("strategy", plan.settings().strategy());
    body.put("seed", plan.seed() + i);
    body.put("priority", priority);
    submitted.incrementAndGet();
    LoadClient.Submitted sub = client.submit(key, body);
    long sentNanos = System.nanoTime() - sub.nanos();
    Sample sample;
    if (sub.status() != 202 || sub.id() == null) {
      refused.incrementAndGet();
      sample = new Sample(tenant, priority, phase, sub.status(), sub.sentAt(), sub.nanos(), -1,
          false, null);
    } else {
      inFlight.incrementAndGet();
      try {
        sample = awaitEnd(tenant, priority, phase, sub, sentNanos, key, deadline);
      } finally {
        inFlight.decrementAndGet();
        finished.incrementAndGet();
      }
    }
    samples.add(sample);
    return new Outcome(sample, sub.retryAfterMs());
  }

  private Sample awaitEnd(String tenant, String priority, Phase phase, LoadClient.Submitted sub,
      long sentNanos, String key, AtomicLong deadline) throws InterruptedException {
    CompletableFuture<CompletionPoller.Seen> end = poller.await(key, sub.id());
    try {
      long wait;
      while ((wait = deadline.get() - System.nanoTime()) > 0) {
        try {
          CompletionPoller.Seen seen = end.get(Math.min(wait, TimeUnit.SECONDS.toNanos(1)),
              TimeUnit.NANOSECONDS);
          return new Sample(tenant, priority, phase, 202, sub.sentAt(), sub.nanos(),
              seen.seenNanos() - sentNanos, false, seen.view());
        } catch (TimeoutException e) {
          // not yet; read the deadline again
        }
      }
      poller.forget(sub.id());
      View last = cancel(key, sub.id());
      boolean abandoned = last == null || "CANCELLED".equals(last.status());
      return new Sample(tenant, priority, phase, 202, sub.sentAt(), sub.nanos(), -1, abandoned,
          last);
    } catch (ExecutionException e) {
      return new Sample(tenant, priority, phase, 202, sub.sentAt(), sub.nanos(), -1, false, null);
    }
  }

  /** Cancels an unfinished request; its view afterwards (CANCELLED, or how it ended), or null. */
  private View cancel(String key, String id) throws InterruptedException {
    try {
      LoadClient.Answer a = client.cancel(key, id);
      if (a.status() == 409) {
        a = client.view(key, id);
      }
      return a.status() == 200 && a.body() != null ? View.of(a.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Counters since the start of the run. */
  private record Counts(int submitted, int finished, int refused) {}

  private Counts counts() {
    return new Counts(submitted.get(), finished.get(), refused.get());
  }

  /** A progress line of the loaded phase and the drain, counting from {@code before}. */
  private String progressLine(long start, long end, long drainEnd, Counts before) {
    long now = System.nanoTime();
    double elapsed = (now - start) / 1e9;
    Counts c = counts();
    int done = c.finished() - before.finished();
    double rate = done / Math.max(1e-9, elapsed);
    int unfinished = inFlight.get();
    String eta;
    if (now < end) {
      eta = rate > 0 ? String.format("ETA ~%.0f s", (end - now) / 1e9 + unfinished / rate)
          : String.format("ETA ~%.0f s + drain", (end - now) / 1e9);
    } else {
      double left = Math.max(0, (drainEnd - now) / 1e9);
      eta = String.format("ETA ~%.0f s", rate > 0 ? Math.min(left, unfinished / rate) : left);
    }
    String phase = now < end ? String.format("loaded %.0f/%.0f s", elapsed, (end - start) / 1e9)
        : drainEnd == Long.MAX_VALUE ? "loaded phase over"
        : String.format("draining, at most %.0f s more", Math.max(0, (drainEnd - now) / 1e9));
    return String.format("bench load: %s; submitted %d, finished %d (%.2f/s), in flight %d,"
        + " refused %d; %s", phase, c.submitted() - before.submitted(), done, rate, unfinished,
        c.refused() - before.refused(), eta);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
