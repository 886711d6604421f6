package dev.tessera.serving;

import dev.tessera.contract.Strategy;
import dev.tessera.decoding.StepDecoder;

/**
 * A generative model ready to decode: weights on the engine, tokenizer, and (where present) drafter and
 * neighbour table. Thread-safe to share; each {@link StepDecoder} it makes is driven by one thread.
 */
public interface ServedModel extends AutoCloseable {

  /** Name, grid, classes and strategies. */
  ModelInfo info();

  /**
   * A continuous-batching decoder for one strategy with its own KV pool sized for at most
   * {@code maxImages} concurrent images.
   *
   * @throws IllegalArgumentException if the model does not support the strategy
   */
  StepDecoder newDecoder(Strategy strategy, int maxImages);

  /** Decodes a raster-order token grid to a PNG image (8-bit grey or RGB, by model family). */
  byte[] toPng(int[] tokens);

  @Override
  void close();
}
