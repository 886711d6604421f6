package dev.tessera.worker.engine;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Priority;
import dev.tessera.contract.Strategy;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ServedModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One (model, strategy) of the {@link DecodeEngine}: its decoder and the requests waiting for or
 * holding its slots. It decides who is admitted (priority, the high-priority reserve, a light
 * tenant's room, a suspect of a failed step alone), who steps ({@link StepSelection}), and what a
 * failed step or encoding does; the engine owns the inbox, the accounting of what is held and the
 * loop over groups. Not thread-safe: the engine's loop drives it.
 */
final class DecodeGroup {

  /** What a group needs from its engine. */
  interface Engine {
    String workerId();

    /** Now, to the microsecond (as PostgreSQL stores it). */
    Instant now();

    boolean cancelled(String requestId);

    /** Images decoding on the worker, per tenant, over every group. */
    Map<String, Integer> decodingByTenant();

    /** Reports that a request was admitted and decodes (RUNNING). */
    void started(GenerationResult running);

    /** Reports a terminal result: the request is no longer held. */
    void ended(GenerationResult result);

    /** An image was decoded (metrics). */
    void decoded(String model, Strategy strategy, DecodeMetrics metrics);
  }

  private static final Logger log = LoggerFactory.getLogger(DecodeGroup.class);

  /** A request waiting for admission; {@code alone} after it shared a failed step. */
  record Waiting(GenerationRequest request, String batchId, boolean alone) {
    /** Suspects first (they hold up their group), then priority, then arrival (stable sort). */
    static final Comparator<Waiting> ORDER = Comparator
        .comparing((Waiting w) -> !w.alone())
        .thenComparing(w -> w.request().priority().ordinal());
  }

  record Running(GenerationRequest request, String batchId, Instant startedAt,
      boolean alone) {}

  private final ServedModel model;
  private final Strategy strategy;
  final StepDecoder decoder;
  final List<Waiting> waiting = new ArrayList<>();
  final Map<String, Running> running = new LinkedHashMap<>();
  /** Running requests held out of the steps while a high-priority one decodes. */
  private final java.util.Set<String> parked = new java.util.HashSet<>();
  private final int reserveImages;
  private final int lightTenantWidth;
  private final Engine engine;
  private final String workerId;

  DecodeGroup(ServedModel model, Strategy strategy, StepDecoder decoder, int reserveImages,
      int lightTenantWidth, Engine engine) {
    this.model = model;
    this.strategy = strategy;
    this.decoder = decoder;
    this.reserveImages = reserveImages;
    this.lightTenantWidth = lightTenantWidth;
    this.engine = engine;
    this.workerId = engine.workerId();
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
      if (engine.cancelled(r.request().id())) {
        it.remove();
        parked.remove(r.request().id());
        decoder.cancel(r.request().id());
        log.info("request {} cancelled; stopped at a step boundary", r.request().id());
        engine.ended(GenerationResult.cancelled(r.request(), r.batchId(), workerId,
            r.startedAt(), engine.now()));
      }
    }
    for (var it = waiting.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (engine.cancelled(w.request().id())) {
        it.remove();
        Instant now = engine.now();
        engine.ended(GenerationResult.cancelled(w.request(), w.batchId(), workerId, now, now));
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
      Map<String, Integer> decoding = engine.decodingByTenant();
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
                "the request needs more KV slots than the worker's pool holds"), engine.now());
            continue;
          }
          return; // admitted once running sequences finish and free their slots
        }
        waiting.remove(w);
        decoder.admit(job);
      } catch (RuntimeException e) {
        waiting.remove(w);
        fail(w.request(), w.batchId(), Failure.permanent("invalid_request", e.getMessage()),
            engine.now());
        continue;
      }
      Instant startedAt = engine.now();
      running.put(w.request().id(), new Running(w.request(), w.batchId(), startedAt, w.alone()));
      engine.started(GenerationResult.running(w.request(), w.batchId(), workerId, startedAt));
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
    engine.decoded(model.info().name(), strategy, out.metrics());
    engine.ended(GenerationResult.succeeded(done.request(), done.batchId(), workerId,
        done.startedAt(), engine.now(), out.metrics(), encodeMs, png));
  }

  private void fail(GenerationRequest r, String batchId, Failure failure, Instant startedAt) {
    log.warn("request {} failed: {} {}", r.id(), failure.code(), failure.message());
    engine.ended(GenerationResult.failed(r, batchId, workerId, startedAt, engine.now(), failure));
  }

  /** What the model library needs to decode a request: no tenant, no transport. */
  static DecodeJob decodeJob(GenerationRequest r) {
    return new DecodeJob(r.id(), r.classLabel(), r.seed(), r.sampling(), r.strategy(),
        r.strategyParams());
  }
}
