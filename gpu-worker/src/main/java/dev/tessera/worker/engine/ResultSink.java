package dev.tessera.worker.engine;

import dev.tessera.contract.GenerationResult;

/** Where the decode loop reports progress and outcomes. */
@FunctionalInterface
public interface ResultSink {

  /** Reports one event; may be asynchronous (the caller waits for delivery before acknowledging). */
  void publish(GenerationResult result);
}
