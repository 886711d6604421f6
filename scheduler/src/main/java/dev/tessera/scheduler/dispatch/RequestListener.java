package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.scheduler.SchedulerConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#REQUESTS} into the pending queue, in a consumer group of this scheduler
 * instance alone, from the end: every instance sees every request, and only the active one queues
 * it (one that takes over rebuilds its queue from PostgreSQL, where every accepted request is). An
 * undecodable message is logged and skipped: the gateway stores every accepted request in PostgreSQL
 * before publishing it, so nothing valid can exist only on Kafka.
 */
@Component
class RequestListener {

  private static final Logger log = LoggerFactory.getLogger(RequestListener.class);

  private final DispatchLoop loop;

  RequestListener(DispatchLoop loop) {
    this.loop = loop;
  }

  @KafkaListener(id = "tessera-scheduler-requests", topics = Topics.REQUESTS,
      groupId = "tessera-scheduler-requests-#{@schedulerInstance.id()}",
      properties = "auto.offset.reset=latest", containerFactory = SchedulerConfiguration.LISTENER_FACTORY)
  void onRequest(ConsumerRecord<String, byte[]> record) {
    try {
      loop.enqueue(Json.fromBytes(record.value(), GenerationRequest.class));
    } catch (ContractException e) {
      log.error("skipping undecodable request at {}-{}@{}", record.topic(), record.partition(),
          record.offset(), e);
    }
  }
}
