package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.scheduler.SchedulerConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * What the dispatch loop learns about the workers: their heartbeats (the whole compacted topic, in a
 * group of this scheduler instance's own, so it knows every worker) and the terminal results (from
 * now on, in a group of its own: PostgreSQL tells what was held before), which give a worker its room
 * back the moment a request ends instead of a heartbeat later.
 */
@Component
class FleetListener {

  private static final Logger log = LoggerFactory.getLogger(FleetListener.class);

  private final DispatchLoop loop;

  FleetListener(DispatchLoop loop) {
    this.loop = loop;
  }

  @KafkaListener(id = "tessera-scheduler-heartbeats", topics = Topics.HEARTBEATS,
      groupId = "tessera-scheduler-fleet-${random.uuid}",
      containerFactory = SchedulerConfiguration.LISTENER_FACTORY,
      properties = "auto.offset.reset=earliest")
  void onHeartbeat(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return; // a tombstone
    }
    try {
      loop.onHeartbeat(Json.fromBytes(record.value(), WorkerHeartbeat.class));
    } catch (ContractException e) {
      log.warn("ignoring an invalid heartbeat from {}: {}", record.key(), e.getMessage());
    }
  }

  @KafkaListener(id = "tessera-scheduler-results", topics = Topics.RESULTS,
      groupId = "tessera-scheduler-results-${random.uuid}",
      containerFactory = SchedulerConfiguration.LISTENER_FACTORY,
      properties = "auto.offset.reset=latest")
  void onResult(ConsumerRecord<String, byte[]> record) {
    try {
      GenerationResult result = Json.fromBytes(record.value(), GenerationResult.class);
      if (result.isTerminal()) {
        loop.onFinished(result.requestId());
      }
    } catch (ContractException e) {
      log.warn("ignoring an undecodable result at {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
    }
  }
}
