package dev.tessera.gateway.catalog;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.contract.WorkerHeartbeat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reads the (compacted) heartbeat topic from its start to the end it has when the gateway starts,
 * into the {@link ModelCatalog}, then marks the catalog complete. Until then a model the catalog
 * does not know may still be served, so a request for it is answered 503 (retry), not 400: a
 * gateway restarted while workers run must not refuse their models. Retries in the background
 * while Kafka is unreachable. The {@link HeartbeatListener} keeps the catalog current afterwards.
 */
@Component
class CatalogWarmup implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(CatalogWarmup.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ModelCatalog catalog;
  private final Map<String, Object> config;
  private volatile Thread retrying;

  CatalogWarmup(ModelCatalog catalog, KafkaProperties kafka) {
    this.catalog = catalog;
    Map<String, Object> c = kafka.buildConsumerProperties(null);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.config = c;
  }

  /**
   * Tries once before the gateway reports itself ready (so that, with Kafka up, it is never ready
   * with an incomplete catalog), then in the background until it succeeds.
   */
  @EventListener(ApplicationReadyEvent.class)
  void start() {
    if (tryOnce()) {
      return;
    }
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted() && !tryOnce()) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "tessera-catalog-warmup");
    t.setDaemon(true);
    retrying = t;
    t.start();
  }

  /** The gateway stops: so does the retrying (its Kafka may be gone for good). */
  @Override
  public void destroy() {
    Thread t = retrying;
    if (t != null) {
      t.interrupt();
    }
  }

  private boolean tryOnce() {
    try {
      int n = readToEnd();
      catalog.markComplete();
      log.info("model catalog complete: {} heartbeat(s) read, models {}", n,
          catalog.all().stream().map(m -> m.name()).toList());
      return true;
    } catch (RuntimeException e) {
      log.warn("cannot read the heartbeats yet ({}); retrying", e.toString());
      return false;
    }
  }

  /** Feeds every heartbeat up to the topic's current end into the catalog; returns how many. */
  private int readToEnd() {
    int n = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.HEARTBEATS, TIMEOUT).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos() * 3;
      while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the heartbeats were not read to their end in time");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            try {
              catalog.onHeartbeat(Json.fromBytes(r.value(), WorkerHeartbeat.class));
              n++;
            } catch (ContractException e) {
              log.warn("ignoring an invalid heartbeat from {}: {}", r.key(), e.getMessage());
            }
          }
        }
      }
    }
    return n;
  }
}
