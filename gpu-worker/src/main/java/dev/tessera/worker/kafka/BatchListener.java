package dev.tessera.worker.kafka;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.worker.WorkerConfiguration;
import dev.tessera.worker.engine.BatchExecutor;
import dev.tessera.worker.metrics.WorkerMetrics;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#BATCHES} in the group {@code tessera-workers}, one batch per poll, and
 * acknowledges a batch only after every one of its results is on Kafka. A worker that dies mid-batch
 * leaves it unacknowledged, so it is redelivered; the recorder absorbs the duplicates.
 */
@Component
class BatchListener {

  private static final Logger log = LoggerFactory.getLogger(BatchListener.class);
  private static final long DELIVERY_TIMEOUT_MS = Duration.ofSeconds(30).toMillis();

  private final BatchExecutor executor;
  private final WorkerProducer producer;
  private final WorkerMetrics metrics;

  BatchListener(BatchExecutor executor, WorkerProducer producer, WorkerMetrics metrics) {
    this.executor = executor;
    this.producer = producer;
    this.metrics = metrics;
  }

  @KafkaListener(id = "tessera-worker-batches", topics = Topics.BATCHES,
      groupId = "tessera-workers", containerFactory = WorkerConfiguration.LISTENER_FACTORY)
  void onBatch(ConsumerRecord<String, byte[]> record, Acknowledgment ack) throws Exception {
    GenerationBatch batch;
    try {
      batch = Json.fromBytes(record.value(), GenerationBatch.class);
    } catch (ContractException e) {
      log.error("skipping undecodable batch at {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      ack.acknowledge();
      return;
    }
    long t0 = System.nanoTime();
    KafkaResultSink sink = new KafkaResultSink(producer.template());
    BatchExecutor.Completion completion = executor.execute(batch, metrics.observing(batch, sink));
    sink.awaitDelivery(DELIVERY_TIMEOUT_MS);
    if (completion == BatchExecutor.Completion.COMPLETED) {
      ack.acknowledge();
      log.info("batch {} of {} {} request(s) done in {} ms", batch.batchId(), batch.size(),
          batch.model(), (System.nanoTime() - t0) / 1_000_000);
    }
  }
}
