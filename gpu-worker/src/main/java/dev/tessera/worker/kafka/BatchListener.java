package dev.tessera.worker.kafka;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.worker.WorkerConfiguration;
import dev.tessera.worker.engine.DecodeEngine;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#BATCHES} in the group {@code tessera-workers} and hands each batch to the
 * decode loop, where its requests join the running decode at the next step boundary. The offset is
 * committed once the batch is handed over: from then on the scheduler owns the retry (it dispatched
 * the batch to this worker, tracks what the worker holds, and re-queues it if the worker goes
 * silent or leaves), so a Kafka redelivery would only decode the same requests twice.
 */
@Component
class BatchListener {

  static final String LISTENER_ID = "tessera-worker-batches";

  private static final Logger log = LoggerFactory.getLogger(BatchListener.class);

  private final DecodeEngine engine;

  BatchListener(DecodeEngine engine) {
    this.engine = engine;
  }

  @KafkaListener(id = LISTENER_ID, topics = Topics.BATCHES,
      groupId = "tessera-workers", containerFactory = WorkerConfiguration.LISTENER_FACTORY)
  void onBatch(ConsumerRecord<String, byte[]> record, Acknowledgment ack) {
    GenerationBatch batch;
    try {
      batch = Json.fromBytes(record.value(), GenerationBatch.class);
    } catch (ContractException e) {
      log.error("skipping undecodable batch at {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      ack.acknowledge();
      return;
    }
    engine.submit(batch);
    ack.acknowledge();
    log.debug("batch {} of {} {} request(s) joins the decode loop", batch.batchId(), batch.size(),
        batch.model());
  }
}
