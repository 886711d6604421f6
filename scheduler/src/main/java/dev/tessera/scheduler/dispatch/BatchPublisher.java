package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.scheduler.SchedulerProperties;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes batches to {@link Topics#BATCHES} (key: model), and expirations to {@link Topics#RESULTS}
 * (key: request id), and waits for the acknowledgement.
 */
@Component
class BatchPublisher implements DisposableBean {

  private final DefaultKafkaProducerFactory<String, byte[]> producers;
  private final KafkaTemplate<String, byte[]> template;
  private final long timeoutMs;

  BatchPublisher(KafkaProperties kafka, SchedulerProperties properties) {
    this.timeoutMs = properties.publishTimeout().toMillis();
    Map<String, Object> config = kafka.buildProducerProperties(null);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeoutMs);
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeoutMs / 2));
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    this.producers = new DefaultKafkaProducerFactory<>(config);
    this.template = new KafkaTemplate<>(producers);
  }

  /** Publishes one batch to a partition (its worker's); throws if Kafka did not acknowledge it. */
  void publish(GenerationBatch batch, int partition) throws ExecutionException, TimeoutException,
      InterruptedException {
    template.send(Topics.BATCHES, partition, batch.model(), Json.toBytes(batch))
        .get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
  }

  /** Publishes a withdrawal (an EXPIRED request) for the result recorder; throws if not acknowledged. */
  void publishResult(GenerationResult result) throws ExecutionException, TimeoutException,
      InterruptedException {
    template.send(Topics.RESULTS, result.requestId(), Json.toBytes(result))
        .get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
  }

  @Override
  public void destroy() {
    producers.destroy();
  }
}
