package dev.tessera.worker.engine;

import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Strategy;
import dev.tessera.decoding.StepDecoder;
import dev.tessera.serving.ServedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a worker serves, loaded once at start, and one decoder (with its KV pool, allocated
 * once) per (model, strategy), made on first use. Decoders are driven by the decode thread only.
 */
public final class ModelRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  private record Key(String model, Strategy strategy) {}

  /**
   * How full one decoder is.
   *
   * @param running requests admitted and decoding
   * @param usedSlots KV slots leased by them
   * @param freeSlots KV slots free
   */
  public record Load(int running, int usedSlots, int freeSlots) {}

  private final Map<String, ServedModel> models = new LinkedHashMap<>();
  private final Map<Key, StepDecoder> decoders = new LinkedHashMap<>();
  private final int maxImages;

  /** Loads every named model now; fails if one cannot be loaded. */
  public ModelRegistry(ModelSource source, List<String> names, int maxImages) {
    this.maxImages = maxImages;
    try {
      for (String name : names) {
        long t0 = System.nanoTime();
        ServedModel model = source.load(name);
        models.put(name, model);
        log.info("model {} ready in {} ms: {}", name, (System.nanoTime() - t0) / 1_000_000,
            model.info());
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot load models " + names, e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The served model with this name. */
  public Optional<ServedModel> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /**
   * The decoder of a (model, strategy) group, made on first use.
   *
   * @throws IllegalArgumentException if the model does not support the strategy
   */
  public synchronized StepDecoder decoder(ServedModel model, Strategy strategy) {
    return decoders.computeIfAbsent(new Key(model.info().name(), strategy),
        k -> model.newDecoder(strategy, maxImages));
  }

  /**
   * How full the decoder of a (model, strategy) group is; empty until its first batch makes it (and
   * allocates its KV pool). Safe from any thread, but read without the decode thread's cooperation:
   * it may be a step behind, which is what a gauge needs.
   */
  public synchronized Optional<Load> load(String model, Strategy strategy) {
    StepDecoder d = decoders.get(new Key(model, strategy));
    if (d == null) {
      return Optional.empty();
    }
    int free = d.freeSlots();
    return Optional.of(new Load(d.activeJobs(), d.totalSlots() - free, free));
  }

  /** The models this worker serves, by name, and the strategies each supports. */
  public Map<String, Set<Strategy>> served() {
    Map<String, Set<Strategy>> served = new LinkedHashMap<>();
    models.forEach((name, m) -> served.put(name, m.info().strategies()));
    return served;
  }

  /** What this worker serves, as it advertises it. */
  public List<ModelDescriptor> descriptors() {
    return models.values().stream().map(m -> m.info().descriptor()).toList();
  }

  /** Images one decoder holds at once. */
  public int maxImages() {
    return maxImages;
  }

  @Override
  public synchronized void close() {
    decoders.values().forEach(StepDecoder::close);
    decoders.clear();
    models.values().forEach(ServedModel::close);
    models.clear();
  }
}
