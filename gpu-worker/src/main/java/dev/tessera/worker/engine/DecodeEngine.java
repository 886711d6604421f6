package dev.tessera.worker.engine;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Priority;
import dev.tessera.contract.Strategy;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ServedModel;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous batching: the worker's one decode loop over every (model, strategy) group it serves.
 * Batches arrive at any time ({@link #submit}); their requests wait at the next step boundary and
 * join their group's running decode as soon as its KV pool can admit them, highest priority first.
 * Each iteration runs one step of every group that has active sequences, so sequences of a group
 * step together however unevenly they progress, and each finished image is encoded and reported at
 * once, its slots freed for the next waiting request.
 *
 * <p>A request is RUNNING from its admission and gets exactly one terminal result here. Failures stay
 * with their request: a rejected admission or a failed encoding fails only that request, and a failed
 * step (which cannot be pinned on one sequence) puts each of its sequences back to run alone, so only
 * the poisonous one fails. A request cancelled by its client is stopped at the next step boundary,
 * its slots freed, and reported CANCELLED.
 *
 * <p>Priority reaches into the loop: a few slots of every pool are kept for high-priority requests
 * and for tenants with nothing decoding here (others are admitted only while that reserve stays
 * free), and while a high-priority request
 * decodes, every lower-priority sequence is parked (it keeps its slots and cache and resumes where
 * it stopped), so the urgent one steps alone, as fast as on an idle worker. Tenants get the same
 * care: while a light tenant's image shares a group with another tenant's flood, the group steps
 * a capped width, the flood's newest sequences parked ({@link StepSelection}). Not thread-safe
 * except {@link #submit} and {@link #held}: one thread drives {@link #iterate}.
 */
public final class DecodeEngine {

  /** Told about every image decoded (metrics). */
  @FunctionalInterface
  public interface DecodeObserver {
    void imageDecoded(String model, Strategy strategy, DecodeMetrics metrics);
  }

  private static final Logger log = LoggerFactory.getLogger(DecodeEngine.class);

  private final ModelRegistry registry;
  private final String workerId;
  private final Clock clock;
  private final Predicate<String> cancelled;
  private final ResultSink sink;
  private final int reserveImages;
  private final int lightTenantWidth;
  private final DecodeObserver observer;
  private final LinkedBlockingQueue<GenerationBatch> inbox = new LinkedBlockingQueue<>();
  private final Map<GroupKey, Group> groups = new LinkedHashMap<>();
  /** Requests accepted and not yet ended: waiting in the inbox or a group, or decoding. */
  private final AtomicInteger held = new AtomicInteger();
  /** The most requests held at once since the engine started. */
  private final AtomicInteger peakHeld = new AtomicInteger();

  /** An engine without a high-priority reserve. */
  public DecodeEngine(ModelRegistry registry, String workerId, Clock clock,
      Predicate<String> cancelled, ResultSink sink) {
    this(registry, workerId, clock, cancelled, sink, 0);
  }

  /** An engine that keeps {@code reserveImages} of every pool for high-priority requests. */
  public DecodeEngine(ModelRegistry registry, String workerId, Clock clock,
      Predicate<String> cancelled, ResultSink sink, int reserveImages) {
    this(registry, workerId, clock, cancelled, sink, reserveImages, 0, (model, strategy, m) -> { });
  }

  /**
   * @param reserveImages images of every pool kept free for high-priority requests
   * @param lightTenantWidth images a group steps at once while a light tenant's image decodes
   *     beside other tenants' ({@link StepSelection}); 0 for no cap
   * @param observer told about every decoded image
   */
  public DecodeEngine(ModelRegistry registry, String workerId, Clock clock,
      Predicate<String> cancelled, ResultSink sink, int reserveImages, int lightTenantWidth,
      DecodeObserver observer) {
    this.observer = observer;
    this.reserveImages = reserveImages;
    this.lightTenantWidth = lightTenantWidth;
    this.registry = registry;
    this.workerId = workerId;
    this.clock = clock;
    this.cancelled = cancelled;
    this.sink = sink;
  }

  /** Hands a batch to the loop; its requests join at the next step boundary. Thread-safe. */
  public void submit(GenerationBatch batch) {
    peakHeld.accumulateAndGet(held.addAndGet(batch.size()), Math::max);
    inbox.add(batch);
  }

  /** Requests accepted and not yet ended. Thread-safe. */
  public int held() {
    return held.get();
  }

  /** The most requests held at once since the engine started. Thread-safe. */
  public int peakHeld() {
    return peakHeld.get();
  }

  /**
   * Gives up every request not started yet (in the inbox, or waiting for admission), without
   * results, and returns their ids: the worker is draining, and the scheduler queues them again.
   * What decodes goes on.
   */
  public List<String> handBackWaiting() {
    drainInbox();
    List<String> ids = new ArrayList<>();
    for (Group group : groups.values()) {
      group.waiting.forEach(w -> ids.add(w.request().id()));
      group.waiting.clear();
    }
    groups.values().removeIf(Group::idle);
    held.addAndGet(-ids.size());
    return ids;
  }

  /**
   * One iteration: take what arrived, drop cancelled requests, admit what fits, run one step of every
   * group with active sequences. When nothing is decoding it waits up to {@code idleWaitMs} for a
   * batch. Returns whether any request is still held.
   */
  public boolean iterate(long idleWaitMs) throws InterruptedException {
    drainInbox();
    boolean stepped = false;
    for (Group group : groups.values()) {
      group.dropCancelled();
      group.admit();
    }
    boolean urgent = groups.values().stream().anyMatch(Group::decodingHigh);
    Map<String, Integer> decoding = decodingByTenant();
    for (Group group : groups.values()) {
      group.arrange(urgent, decoding);
      if (group.stepping() > 0) {
        group.step();
        stepped = true;
      }
    }
    groups.values().removeIf(Group::idle);
    if (!stepped && held.get() == 0 && idleWaitMs > 0) {
      GenerationBatch next = inbox.poll(idleWaitMs, TimeUnit.MILLISECONDS);
      if (next != null) {
        accept(next);
      }
    }
    return held.get() > 0;
  }

  /** Runs iterations until nothing is held (tests and the offline commands). */
  public void runUntilIdle() {
    try {
      while (iterate(0)) {
        // next iteration
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops every running sequence (freeing its slots) and forgets everything held, without results:
   * the worker is stopping, and the scheduler re-queues what this worker held when it leaves.
   * Returns how many requests were abandoned.
   */
  public int abandonAll() {
    return abandonAllIds().size();
  }

  /** As {@link #abandonAll}, returning the ids of the requests abandoned. */
  public List<String> abandonAllIds() {
    drainInbox();
    List<String> abandoned = new ArrayList<>();
    for (Group group : groups.values()) {
      abandoned.addAll(group.running.keySet());
      group.waiting.forEach(w -> abandoned.add(w.request().id()));
      group.running.keySet().forEach(group.decoder::cancel);
    }
    groups.clear();
    held.set(0);
    return abandoned;
  }

  /** Images decoding on this worker, per tenant. */
  private Map<String, Integer> decodingByTenant() {
    Map<String, Integer> decoding = new java.util.HashMap<>();
    for (Group g : groups.values()) {
      g.running.values().forEach(r -> decoding.merge(r.request().tenantId(), 1, Integer::sum));
    }
    return decoding;
  }

  private void drainInbox() {
    for (GenerationBatch b; (b = inbox.poll()) != null; ) {
      accept(b);
    }
  }

  private void accept(GenerationBatch batch) {
    Optional<ServedModel> model = registry.model(batch.model());
    if (model.isEmpty()) {
      failAll(batch, Failure.transientFault("unknown_model",
          "worker " + workerId + " does not serve model " + batch.model()));
      return;
    }
    StepDecoder decoder;
    try {
      decoder = registry.decoder(model.get(), batch.strategy());
    } catch (IllegalArgumentException e) {
      failAll(batch, Failure.permanent("unsupported_strategy", e.getMessage()));
      return;
    }
    Group group = groups.computeIfAbsent(new GroupKey(batch.model(), batch.strategy().apiName()),
        k -> new Group(model.get(), batch.strategy(), decoder));
    for (GenerationRequest r : batch.requests()) {
      group.waiting.add(new Waiting(r, batch.batchId(), false));
    }
    group.waiting.sort(Waiting.ORDER);
  }

  private void failAll(GenerationBatch batch, Failure failure) {
    Instant now = now();
    for (GenerationRequest r : batch.requests()) {
      ended(GenerationResult.failed(r, batch.batchId(), workerId, now, now, failure));
    }
  }

  /** Reports a terminal result: the request is no longer held. */
  private void ended(GenerationResult result) {
    sink.publish(result);
    held.decrementAndGet();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private record GroupKey(String model, String strategy) {}

  /** A request waiting for admission; {@code alone} after it shared a failed step. */
  private record Waiting(GenerationRequest request, String batchId, boolean alone) {
    /** Suspects first (they hold up their group), then priority, then arrival (stable sort). */
    static final Comparator<Waiting> ORDER = Comparator
        .comparing((Waiting w) -> !w.alone())
        .thenComparing(w -> w.request().priority().ordinal());
  }

  private record Running(GenerationRequest request, String batchId, Instant startedAt,
      boolean alone) {}

  /** One (model, strategy): its decoder and the requests waiting for or holding its slots. */
  private final class Group {
    private final ServedModel model;
    private final Strategy strategy;
    private final StepDecoder decoder;
    private final List<Waiting> waiting = new ArrayList<>();
    private final Map<String, Running> running = new LinkedHashMap<>();
    /** Running requests held out of the steps while a high-priority one decodes. */
    private final java.util.Set<String> parked = new java.util.HashSet<>();

    Group(ServedModel model, Strategy strategy, StepDecoder decoder) {
      this.model = model;
      this.strategy = strategy;
      this.decoder = decoder;
    }

    boolean idle() {
      return waiting.isEmpty() && running.isEmpty();
    }

    boolean decodingHigh() {
      return running.values().stream().anyMatch(r -> r.request().priority() == Priority.HIGH);
    }

    int stepping() {
      return running.size() - parked.size();
    }

    /**
     * Parks the sequences that do not step this iteration and resumes those that do again
     * ({@link StepSelection}: only high priority while one decodes; a capped width while a light
     * tenant shares the group).
     */
    void arrange(boolean urgent, Map<String, Integer> decoding) {
      java.util.Set<String> step = StepSelection.stepping(decodingNow(), urgent, decoding,
          lightTenantWidth);
      for (Running r : running.values()) {
        String id = r.request().id();
        boolean steps = step.contains(id);
        if (!steps && !parked.contains(id) && decoder.park(id)) {
          parked.add(id);
        } else if (steps && parked.contains(id) && decoder.resume(id)) {
          parked.remove(id);
        }
      }
    }

    /** The running sequences, oldest first. */
    private List<StepSelection.Decoding> decodingNow() {
      return running.values().stream().map(r -> new StepSelection.Decoding(r.request().id(),
          r.request().tenantId(), r.request().priority())).toList();
    }

    /** Stops cancelled requests: running ones give their slots back; waiting ones never start. */
    void dropCancelled() {
      for (var it = running.values().iterator(); it.hasNext(); ) {
        Running r = it.next();
        if (cancelled.test(r.request().id())) {
          it.remove();
          parked.remove(r.request().id());
          decoder.cancel(r.request().id());
          log.info("request {} cancelled; stopped at a step boundary", r.request().id());
          ended(GenerationResult.cancelled(r.request(), r.batchId(), workerId, r.startedAt(),
              now()));
        }
      }
      for (var it = waiting.iterator(); it.hasNext(); ) {
        Waiting w = it.next();
        if (cancelled.test(w.request().id())) {
          it.remove();
          Instant now = now();
          ended(GenerationResult.cancelled(w.request(), w.batchId(), workerId, now, now));
        }
      }
    }

    /**
     * Admits waiting requests in order while the pool has room. A suspect of a failed step runs
     * alone: it waits for the group to drain, and nothing joins it.
     */
    void admit() {
      while (!waiting.isEmpty()) {
        if (running.values().stream().anyMatch(Running::alone)) {
          return;
        }
        Map<String, Integer> decoding = decodingByTenant();
        Waiting w = waiting.get(nextIndex(decoding));
        if (w.alone() && !running.isEmpty()) {
          return;
        }
        if (!w.alone() && !StepSelection.mayJoin(w.request().tenantId(), w.request().priority(),
            decodingNow(), decoding, lightTenantWidth)) {
          return; // a light tenant decodes here and the others fill the rest of the width
        }
        DecodeJob job = decodeJob(w.request());
        try {
          if (!decoder.canAdmit(job) || !withinReserve(w.request(), job, decoding)) {
            if (running.isEmpty() && decoder.activeJobs() == 0) {
              waiting.remove(w);
              fail(w.request(), w.batchId(), Failure.permanent("too_large",
                  "the request needs more KV slots than the worker's pool holds"), now());
              continue;
            }
            return; // admitted once running sequences finish and free their slots
          }
          waiting.remove(w);
          decoder.admit(job);
        } catch (RuntimeException e) {
          waiting.remove(w);
          fail(w.request(), w.batchId(), Failure.permanent("invalid_request", e.getMessage()),
              now());
          continue;
        }
        Instant startedAt = now();
        running.put(w.request().id(), new Running(w.request(), w.batchId(), startedAt, w.alone()));
        sink.publish(GenerationResult.running(w.request(), w.batchId(), workerId, startedAt));
      }
    }

    /**
     * Which waiting request goes next: a suspect of a failed step first, then the highest priority,
     * then the tenant with the fewest requests decoding on this worker (so one tenant's prefetched
     * flood does not make another tenant's single request wait), then arrival order.
     */
    private int nextIndex(Map<String, Integer> decoding) {
      if (waiting.get(0).alone()) {
        return 0;
      }
      int best = 0;
      for (int i = 1; i < waiting.size(); i++) {
        GenerationRequest a = waiting.get(i).request();
        GenerationRequest b = waiting.get(best).request();
        int byPriority = Integer.compare(a.priority().ordinal(), b.priority().ordinal());
        if (byPriority < 0 || byPriority == 0 && decoding.getOrDefault(a.tenantId(), 0)
            < decoding.getOrDefault(b.tenantId(), 0)) {
          best = i;
        }
      }
      return best;
    }

    /**
     * The reserved images' slots are for high-priority requests and for a tenant with nothing
     * decoding here (so a light tenant's request starts at once beside another tenant's flood);
     * anything else leaves them free.
     */
    private boolean withinReserve(GenerationRequest r, DecodeJob job,
        Map<String, Integer> decoding) {
      int slots = decoder.slotsFor(job);
      return r.priority() == Priority.HIGH || !decoding.containsKey(r.tenantId())
          || decoder.freeSlots() - slots >= reserveImages * slots;
    }

    /** One step of every active sequence; finished ones are encoded and reported. */
    void step() {
      List<DecodeOutput> outputs;
      try {
        outputs = decoder.step();
      } catch (RuntimeException e) {
        stepFailed(e);
        return;
      }
      for (DecodeOutput out : outputs) {
        Running done = running.remove(out.requestId());
        if (done != null) {
          finish(done, out);
        }
      }
    }

    /**
     * A step failed. A sequence that ran alone is the culprit and fails (retryably: the worker may be
     * at fault). Sequences that shared the step go back, in front, to run alone one by one.
     */
    private void stepFailed(RuntimeException e) {
      List<Running> interrupted = running.values().stream()
          .filter(r -> !parked.contains(r.request().id())).toList();
      interrupted.forEach(r -> {
        decoder.cancel(r.request().id());
        running.remove(r.request().id());
      });
      if (interrupted.size() == 1 && interrupted.get(0).alone()
          || interrupted.size() == 1 && waiting.isEmpty()) {
        Running r = interrupted.get(0);
        log.warn("decode step failed for {}: {}", r.request().id(), e.toString());
        fail(r.request(), r.batchId(), Failure.transientFault("decode_error", e.toString()),
            r.startedAt());
        return;
      }
      log.warn("decode step failed with {} sequences; re-running each alone: {}",
          interrupted.size(), e.toString());
      List<Waiting> suspects = interrupted.stream()
          .map(r -> new Waiting(r.request(), r.batchId(), true)).toList();
      waiting.addAll(0, suspects);
    }

    private void finish(Running done, DecodeOutput out) {
      long t0 = System.nanoTime();
      byte[] png;
      try {
        png = model.toPng(out.tokens());
      } catch (RuntimeException e) {
        fail(done.request(), done.batchId(), Failure.permanent("encode_error", e.toString()),
            done.startedAt());
        return;
      }
      long encodeMs = (System.nanoTime() - t0) / 1_000_000;
      observer.imageDecoded(model.info().name(), strategy, out.metrics());
      ended(GenerationResult.succeeded(done.request(), done.batchId(), workerId, done.startedAt(),
          now(), out.metrics(), encodeMs, png));
    }

    private void fail(GenerationRequest r, String batchId, Failure failure, Instant startedAt) {
      log.warn("request {} failed: {} {}", r.id(), failure.code(), failure.message());
      ended(GenerationResult.failed(r, batchId, workerId, startedAt, now(), failure));
    }
  }

  /** What the model library needs to decode a request: no tenant, no transport. */
  private static DecodeJob decodeJob(GenerationRequest r) {
    return new DecodeJob(r.id(), r.classLabel(), r.seed(), r.sampling(), r.strategy(),
        r.strategyParams());
  }
}
