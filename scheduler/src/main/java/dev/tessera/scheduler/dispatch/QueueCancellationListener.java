package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.Cancellation;
import dev.tessera.contract.ContractException;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.scheduler.SchedulerConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#CANCELLATIONS} (in a group of this instance alone) and drops cancelled
 * requests from the pending queue. Only a courtesy: the row is CANCELLED before the notice is sent,
 * and a dispatch claims QUEUED rows only, so a lost notice still never dispatches the request.
 */
@Component
class QueueCancellationListener {

  private static final Logger log = LoggerFactory.getLogger(QueueCancellationListener.class);

  private final DispatchLoop loop;

  QueueCancellationListener(DispatchLoop loop) {
    this.loop = loop;
  }

  @KafkaListener(id = "tessera-scheduler-cancellations", topics = Topics.CANCELLATIONS,
      groupId = "tessera-scheduler-cancellations-#{@schedulerInstance.id()}",
      properties = "auto.offset.reset=latest", containerFactory = SchedulerConfiguration.LISTENER_FACTORY)
  void onCancellation(ConsumerRecord<String, byte[]> record) {
    try {
      Cancellation c = Json.fromBytes(record.value(), Cancellation.class);
      if (loop.cancel(c.requestId())) {
        log.info("cancelled request {} dropped from the queue", c.requestId());
      }
    } catch (ContractException e) {
      log.error("skipping undecodable cancellation at {}-{}@{}", record.topic(),
          record.partition(), record.offset(), e);
    }
  }
}
