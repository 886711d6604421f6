package dev.tessera.infra;

import dev.tessera.contract.Strategy;
import dev.tessera.decoding.DecodeJob;
import dev.tessera.decoding.DecodeOutput;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.model.GptConfig;
import dev.tessera.serving.ModelInfo;
import dev.tessera.serving.ModelLoader;
import dev.tessera.serving.ServedModel;
import dev.tessera.worker.engine.ModelSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Test models with a planted fault: tiny random-weights models whose decoders fail every step while
 * a job with the poison seed is among their stepping (not parked) sequences, as a model or a kernel bug triggered by
 * one request would, until {@code cured} says otherwise. Test code only.
 */
final class PoisonModels implements ModelSource {

  /** The seed that poisons a decode step. */
  static final long POISON_SEED = 666L;

  private static final GptConfig TINY = GptConfig.of(32, 1, 2, 512, 10, 16);

  private final BooleanSupplier cured;

  PoisonModels(BooleanSupplier cured) {
    this.cured = cured;
  }

  @Override
  public ServedModel load(String name) {
    return new Poisoned(ModelLoader.random(name, TINY, 42L));
  }

  /** A served model whose decoders are poisonable. */
  private final class Poisoned implements ServedModel {
    private final ServedModel model;

    Poisoned(ServedModel model) {
      this.model = model;
    }

    @Override
    public ModelInfo info() {
      return model.info();
    }

    @Override
    public StepDecoder newDecoder(Strategy strategy, int maxImages) {
      return new PoisonableDecoder(model.newDecoder(strategy, maxImages));
    }

    @Override
    public byte[] toPng(int[] tokens) {
      return model.toPng(tokens);
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** Delegates, remembering each active job's seed; a step with the poison seed stepping throws. */
  private final class PoisonableDecoder implements StepDecoder {
    private final StepDecoder decoder;
    private final Map<String, Long> seeds = new HashMap<>();
    private final Set<String> parked = new HashSet<>();

    PoisonableDecoder(StepDecoder decoder) {
      this.decoder = decoder;
    }

    @Override
    public boolean canAdmit(DecodeJob job) {
      return decoder.canAdmit(job);
    }

    @Override
    public void admit(DecodeJob job) {
      decoder.admit(job);
      seeds.put(job.requestId(), job.seed());
    }

    @Override
    public List<DecodeOutput> step() {
      boolean poisoned = seeds.entrySet().stream()
          .anyMatch(e -> e.getValue() == POISON_SEED && !parked.contains(e.getKey()));
      if (!cured.getAsBoolean() && poisoned) {
        throw new IllegalStateException("poisoned step: a job with seed " + POISON_SEED
            + " is among " + (seeds.size() - parked.size()) + " stepping sequence(s)");
      }
      List<DecodeOutput> outputs = decoder.step();
      outputs.forEach(out -> seeds.remove(out.requestId()));
      return outputs;
    }

    @Override
    public boolean cancel(String requestId) {
      seeds.remove(requestId);
      parked.remove(requestId);
      return decoder.cancel(requestId);
    }

    @Override
    public int slotsFor(DecodeJob job) {
      return decoder.slotsFor(job);
    }

    @Override
    public boolean park(String requestId) {
      boolean done = decoder.park(requestId);
      if (done) {
        parked.add(requestId);
      }
      return done;
    }

    @Override
    public boolean resume(String requestId) {
      boolean done = decoder.resume(requestId);
      if (done) {
        parked.remove(requestId);
      }
      return done;
    }

    @Override
    public int totalSlots() {
      return decoder.totalSlots();
    }

    @Override
    public int activeJobs() {
      return decoder.activeJobs();
    }

    @Override
    public int freeSlots() {
      return decoder.freeSlots();
    }

    @Override
    public void close() {
      decoder.close();
    }
  }
}
