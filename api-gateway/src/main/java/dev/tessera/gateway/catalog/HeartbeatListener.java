package dev.tessera.gateway.catalog;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.gateway.GatewayConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds worker heartbeats into the {@link ModelCatalog}. Every gateway instance reads the whole
 * (compacted) topic from the start in a group of its own, so each one knows every worker.
 */
@Component
class HeartbeatListener {

  private static final Logger log = LoggerFactory.getLogger(HeartbeatListener.class);

  private final ModelCatalog catalog;

  HeartbeatListener(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  @KafkaListener(id = "tessera-gateway-heartbeats", topics = Topics.HEARTBEATS,
      groupId = "tessera-gateway-catalog-${random.uuid}",
      containerFactory = GatewayConfiguration.LISTENER_FACTORY,
      properties = "auto.offset.reset=earliest")
  void onHeartbeat(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return; // a tombstone: compaction forgot this worker
    }
    try {
      catalog.onHeartbeat(Json.fromBytes(record.value(), WorkerHeartbeat.class));
    } catch (ContractException e) {
      log.warn("ignoring an invalid heartbeat from {}: {}", record.key(), e.getMessage());
    }
  }
}
