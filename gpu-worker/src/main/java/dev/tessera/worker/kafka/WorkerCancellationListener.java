package dev.tessera.worker.kafka;

import dev.tessera.contract.Cancellation;
import dev.tessera.contract.ContractException;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.worker.WorkerConfiguration;
import dev.tessera.worker.engine.CancelledRequests;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#CANCELLATIONS} in a consumer group of this worker alone (every worker must
 * see every notice), on its own thread beside the decode loop, into {@link CancelledRequests}.
 */
@Component
class WorkerCancellationListener {

  private static final Logger log = LoggerFactory.getLogger(WorkerCancellationListener.class);

  private final CancelledRequests cancelled;

  WorkerCancellationListener(CancelledRequests cancelled) {
    this.cancelled = cancelled;
  }

  @KafkaListener(id = "tessera-worker-cancellations", topics = Topics.CANCELLATIONS,
      groupId = "tessera-worker-cancellations-#{@workerId.value()}",
      containerFactory = WorkerConfiguration.LISTENER_FACTORY)
  void onCancellation(ConsumerRecord<String, byte[]> record, Acknowledgment ack) {
    try {
      cancelled.add(Json.fromBytes(record.value(), Cancellation.class).requestId());
    } catch (ContractException e) {
      log.error("skipping undecodable cancellation at {}-{}@{}: {}", record.topic(),
          record.partition(), record.offset(), e.getMessage());
    }
    ack.acknowledge();
  }
}
