package dev.tessera.worker.engine;

import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ServedModel;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one batch on the decode thread with an iteration-level loop: admit waiting requests while
 * the decoder's KV pool has room, run one step for every active sequence, encode and report each image
 * the moment it is done, repeat. A request is RUNNING from its admission and gets exactly one terminal
 * result. Failures stay with their request: a rejected admission or a failed encoding fails only that
 * request, and a failed step (which cannot be pinned on one sequence) re-runs each of its sequences
 * alone, so only the poisonous one fails. A request cancelled by its client is stopped at the next
 * step boundary, its slots freed, and reported CANCELLED.
 */
public final class BatchExecutor {

  /** How a batch ended. */
  public enum Completion {
    /** Every request got its terminal result. */
    COMPLETED,
    /** The worker is stopping; some requests got none (the batch must be redelivered). */
    ABANDONED
  }

  private static final Logger log = LoggerFactory.getLogger(BatchExecutor.class);

  private final ModelRegistry registry;
  private final String workerId;
  private final Clock clock;
  private final BooleanSupplier stopping;
  private final Predicate<String> cancelled;

  public BatchExecutor(ModelRegistry registry, String workerId, Clock clock,
      BooleanSupplier stopping) {
    this(registry, workerId, clock, stopping, id -> false);
  }

  /**
   * @param cancelled whether a request was cancelled by its client; consulted at every step boundary
   */
  public BatchExecutor(ModelRegistry registry, String workerId, Clock clock,
      BooleanSupplier stopping, Predicate<String> cancelled) {
    this.registry = registry;
    this.workerId = workerId;
    this.clock = clock;
    this.stopping = stopping;
    this.cancelled = cancelled;
  }

  /** Decodes every request of the batch, reporting to {@code sink}. */
  public Completion execute(GenerationBatch batch, ResultSink sink) {
    Optional<ServedModel> model = registry.model(batch.model());
    if (model.isEmpty()) {
      failAll(batch, sink, Failure.transientFault("unknown_model",
          "worker " + workerId + " does not serve model " + batch.model()));
      return Completion.COMPLETED;
    }
    StepDecoder decoder;
    try {
      decoder = registry.decoder(model.get(), batch.strategy());
    } catch (IllegalArgumentException e) {
      failAll(batch, sink, Failure.permanent("unsupported_strategy", e.getMessage()));
      return Completion.COMPLETED;
    }
    Run run = new Run(batch, model.get(), decoder, sink);
    return run.decode(batch.requests(), true);
  }

  private void failAll(GenerationBatch batch, ResultSink sink, Failure failure) {
    Instant now = now();
    for (GenerationRequest r : batch.requests()) {
      sink.publish(GenerationResult.failed(r, batch.batchId(), workerId, now, now, failure));
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** The decoding of one batch. */
  private final class Run {
    private final GenerationBatch batch;
    private final ServedModel model;
    private final StepDecoder decoder;
    private final ResultSink sink;

    Run(GenerationBatch batch, ServedModel model, StepDecoder decoder, ResultSink sink) {
      this.batch = batch;
      this.model = model;
      this.decoder = decoder;
      this.sink = sink;
    }

    /** Decodes {@code requests} together; {@code isolate} re-runs them alone if a step fails. */
    Completion decode(List<GenerationRequest> requests, boolean isolate) {
      Deque<GenerationRequest> waiting = new ArrayDeque<>(requests);
      Map<String, Running> running = new LinkedHashMap<>();
      while (!waiting.isEmpty() || !running.isEmpty()) {
        if (stopping.getAsBoolean()) {
          running.keySet().forEach(decoder::cancel);
          log.info("stopping: abandoning batch {} with {} request(s) unfinished", batch.batchId(),
              running.size() + waiting.size());
          return Completion.ABANDONED;
        }
        dropCancelled(waiting, running);
        admit(waiting, running);
        if (running.isEmpty()) {
          continue;
        }
        List<DecodeOutput> outputs;
        try {
          outputs = decoder.step();
        } catch (RuntimeException e) {
          List<GenerationRequest> interrupted = running.values().stream().map(Running::request)
              .toList();
          running.keySet().forEach(decoder::cancel);
          running.clear();
          if (!isolate || interrupted.size() == 1) {
            log.warn("decode step failed for {}: {}", interrupted.get(0).id(), e.toString());
            for (GenerationRequest r : interrupted) {
              fail(r, Failure.transientFault("decode_error", e.toString()));
            }
          } else {
            log.warn("decode step failed with {} sequences; re-running each alone: {}",
                interrupted.size(), e.toString());
            for (GenerationRequest r : interrupted) {
              if (decode(List.of(r), false) == Completion.ABANDONED) {
                return Completion.ABANDONED;
              }
            }
          }
          continue;
        }
        for (DecodeOutput out : outputs) {
          Running done = running.remove(out.requestId());
          if (done != null) {
            finish(done, out);
          }
        }
      }
      return Completion.COMPLETED;
    }

    /**
     * At a step boundary: stops every cancelled request (running ones give their KV slots back to the
     * pool) and reports it CANCELLED; waiting ones are never admitted.
     */
    private void dropCancelled(Deque<GenerationRequest> waiting, Map<String, Running> running) {
      for (var it = running.values().iterator(); it.hasNext(); ) {
        Running r = it.next();
        if (cancelled.test(r.request().id())) {
          it.remove();
          decoder.cancel(r.request().id());
          log.info("request {} cancelled; stopped at a step boundary", r.request().id());
          sink.publish(GenerationResult.cancelled(r.request(), batch.batchId(), workerId,
              r.startedAt(), now()));
        }
      }
      for (var it = waiting.iterator(); it.hasNext(); ) {
        GenerationRequest r = it.next();
        if (cancelled.test(r.id())) {
          it.remove();
          Instant now = now();
          sink.publish(GenerationResult.cancelled(r, batch.batchId(), workerId, now, now));
        }
      }
    }

    /** Admits waiting requests in order while the pool has room. */
    private void admit(Deque<GenerationRequest> waiting, Map<String, Running> running) {
      while (!waiting.isEmpty()) {
        GenerationRequest r = waiting.peekFirst();
        DecodeJob job = r.toDecodeJob();
        try {
          if (!decoder.canAdmit(job)) {
            if (running.isEmpty() && decoder.activeJobs() == 0) {
              waiting.pollFirst();
              fail(r, Failure.permanent("too_large",
                  "the request needs more KV slots than the worker's pool holds"));
              continue;
            }
            return; // admitted once running sequences finish and free their slots
          }
          waiting.pollFirst();
          decoder.admit(job);
        } catch (RuntimeException e) {
          waiting.remove(r);
          fail(r, Failure.permanent("invalid_request", e.getMessage()));
          continue;
        }
        Instant startedAt = now();
        running.put(r.id(), new Running(r, startedAt));
        sink.publish(GenerationResult.running(r, batch.batchId(), workerId, startedAt));
      }
    }

    private void finish(Running done, DecodeOutput out) {
      long t0 = System.nanoTime();
      byte[] png;
      try {
        png = model.toPng(out.tokens());
      } catch (RuntimeException e) {
        fail(done.request(), Failure.permanent("encode_error", e.toString()), done.startedAt());
        return;
      }
      long encodeMs = (System.nanoTime() - t0) / 1_000_000;
      sink.publish(GenerationResult.succeeded(done.request(), batch.batchId(), workerId,
          done.startedAt(), now(), out.metrics(), encodeMs, png));
    }

    private void fail(GenerationRequest r, Failure failure) {
      fail(r, failure, now());
    }

    private void fail(GenerationRequest r, Failure failure, Instant startedAt) {
      log.warn("request {} failed: {} {}", r.id(), failure.code(), failure.message());
      sink.publish(GenerationResult.failed(r, batch.batchId(), workerId, startedAt, now(), failure));
    }
  }

  private record Running(GenerationRequest request, Instant startedAt) {}
}
