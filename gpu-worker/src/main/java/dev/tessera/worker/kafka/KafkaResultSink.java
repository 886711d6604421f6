package dev.tessera.worker.kafka;

import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.worker.engine.ResultSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes the results of one batch to {@link Topics#RESULTS} (key: request id) without waiting,
 * then {@link #awaitDelivery} waits for all of them before the batch is acknowledged.
 */
final class KafkaResultSink implements ResultSink {

  private final KafkaTemplate<String, byte[]> template;
  private final List<CompletableFuture<SendResult<String, byte[]>>> pending = new ArrayList<>();

  KafkaResultSink(KafkaTemplate<String, byte[]> template) {
    this.template = template;
  }

  @Override
  public void publish(GenerationResult result) {
    pending.add(template.send(Topics.RESULTS, result.requestId(), Json.toBytes(result)));
  }

  /** Waits until Kafka acknowledged every published result; throws if one failed. */
  void awaitDelivery(long timeoutMs) throws Exception {
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  int published() {
    return pending.size();
  }
}
