package dev.tessera.worker.engine;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Strategy;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ServedModel;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

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

  private final ModelRegistry registry;
  private final String workerId;
  private final Clock clock;
  private final Predicate<String> cancelled;
  private final ResultSink sink;
  private final int reserveImages;
  private final int lightTenantWidth;
  private final DecodeObserver observer;
  private final LinkedBlockingQueue<GenerationBatch> inbox = new LinkedBlockingQueue<>();
  private final Map<GroupKey, DecodeGroup> groups = new LinkedHashMap<>();
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
    for (DecodeGroup group : groups.values()) {
      group.waiting.forEach(w -> ids.add(w.request().id()));
      group.waiting.clear();
    }
    groups.values().removeIf(DecodeGroup::idle);
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
    for (DecodeGroup group : groups.values()) {
      group.dropCancelled();
      group.admit();
    }
    boolean urgent = groups.values().stream().anyMatch(DecodeGroup::decodingHigh);
    Map<String, Integer> decoding = decodingByTenant();
    for (DecodeGroup group : groups.values()) {
      group.arrange(urgent, decoding);
      if (group.stepping() > 0) {
        group.step();
        stepped = true;
      }
    }
    groups.values().removeIf(DecodeGroup::idle);
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
    for (DecodeGroup group : groups.values()) {
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
    for (DecodeGroup g : groups.values()) {
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
    DecodeGroup group = groups.computeIfAbsent(new GroupKey(batch.model(),
        batch.strategy().apiName()), k -> new DecodeGroup(model.get(), batch.strategy(), decoder,
        reserveImages, lightTenantWidth, groupEngine));
    for (GenerationRequest r : batch.requests()) {
      group.waiting.add(new DecodeGroup.Waiting(r, batch.batchId(), false));
    }
    group.waiting.sort(DecodeGroup.Waiting.ORDER);
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

  /** What the groups see of this engine. */
  private final DecodeGroup.Engine groupEngine = new DecodeGroup.Engine() {
    @Override
    public String workerId() {
      return workerId;
    }

    @Override
    public Instant now() {
      return DecodeEngine.this.now();
    }

    @Override
    public boolean cancelled(String requestId) {
      return cancelled.test(requestId);
    }

    @Override
    public Map<String, Integer> decodingByTenant() {
      return DecodeEngine.this.decodingByTenant();
    }

    @Override
    public void started(GenerationResult running) {
      sink.publish(running);
    }

    @Override
    public void ended(GenerationResult result) {
      DecodeEngine.this.ended(result);
    }

    @Override
    public void decoded(String model, Strategy strategy, DecodeMetrics metrics) {
      observer.imageDecoded(model, strategy, metrics);
    }
  };


}
