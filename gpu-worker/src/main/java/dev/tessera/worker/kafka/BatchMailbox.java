package dev.tessera.worker.kafka;

import dev.tessera.contract.ContractException;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import dev.tessera.worker.WorkerId;
import dev.tessera.worker.engine.DecodeEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker's mailbox on {@link Topics#BATCHES}: one partition, {@code hash(worker id) mod
 * partitions}, read by this worker alone or with a few others, without a consumer group. The
 * scheduler addresses every batch to one worker and publishes it on that worker's partition (which
 * the heartbeat announces, once this consumer has its position), so any number of workers gets
 * work and no rebalance ever moves a worker's batches to another. A batch addressed to another
 * worker is skipped; so is one whose fencing token is older than one already seen (the late batch
 * of a deposed scheduler, whose claim PostgreSQL refused).
 *
 * <p>The consumer starts at the end of the partition: a new worker process has a new id, so nothing
 * before it is for it. Nothing is committed: once a batch is in the decode loop the scheduler owns
 * its retry (it re-queues what a silent or leaving worker held).
 */
@Component
class BatchMailbox implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BatchMailbox.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaProperties kafka;
  private final DecodeEngine engine;
  private final String workerId;
  private final MailboxPartition announced;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running;
  private long newestToken;
  private Thread thread;

  BatchMailbox(KafkaProperties kafka, DecodeEngine engine, WorkerId workerId,
      MailboxPartition announced) {
    this.announced = announced;
    this.kafka = kafka;
    this.engine = engine;
    this.workerId = workerId.value();
  }

  @Override
  public void start() {
    Map<String, Object> props = kafka.buildConsumerProperties(null);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tessera-mailbox-" + workerId);
    consumer = new KafkaConsumer<>(props);
    running = true;
    thread = new Thread(this::run, "tessera-mailbox");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      TopicPartition mailbox = assign();
      if (mailbox != null) {
        log.info("worker {} reads its batches from {}", workerId, mailbox);
      }
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          deliver(record);
        }
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      log.error("batch mailbox stopped: {}", e.toString(), e);
    } finally {
      announced.clear();
      consumer.close(Duration.ofSeconds(2));
      stopped.countDown();
    }
  }

  /** Finds the topic, takes this worker's partition and its end offset; null if stopped first. */
  private TopicPartition assign() {
    while (running) {
      List<PartitionInfo> partitions = consumer.partitionsFor(Topics.BATCHES, Duration.ofSeconds(5));
      if (partitions != null && !partitions.isEmpty()) {
        TopicPartition mailbox = new TopicPartition(Topics.BATCHES,
            Topics.mailboxOf(workerId, partitions.size()));
        consumer.assign(List.of(mailbox));
        consumer.seekToEnd(List.of(mailbox));
        consumer.position(mailbox); // resolves the end now: what comes after is read
        announced.set(mailbox.partition());
        return mailbox;
      }
      log.info("waiting for topic {}", Topics.BATCHES);
      sleep(Duration.ofSeconds(1));
    }
    return null;
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    GenerationBatch batch;
    try {
      batch = Json.fromBytes(record.value(), GenerationBatch.class);
    } catch (ContractException e) {
      log.error("skipping undecodable batch at {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      return;
    }
    if (!batch.isFor(workerId)) {
      return;
    }
    if (batch.fencingToken() < newestToken) {
      log.warn("refusing batch {}: fencing token {} is older than {} (a deposed scheduler's)",
          batch.batchId(), batch.fencingToken(), newestToken);
      return;
    }
    newestToken = batch.fencingToken();
    engine.submit(batch);
    log.debug("batch {} of {} {} request(s) joins the decode loop", batch.batchId(), batch.size(),
        batch.model());
  }

  /** Stops reading: batches sent from now on stay on Kafka (the scheduler re-queues them). */
  @Override
  public void stop() {
    running = false;
    announced.clear();
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
      try {
        stopped.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops first: no batch arrives while the decode loop drains. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
