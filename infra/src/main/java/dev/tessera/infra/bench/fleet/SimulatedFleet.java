package dev.tessera.infra.bench.fleet;

import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.Json;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.Topics;
import dev.tessera.contract.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * N simulated workers speaking the workers' real protocol over real Kafka clients: each has its own
 * id, mailbox partition, capacity and heartbeat ({@link Topics#HEARTBEATS}); it takes the batches
 * addressed to it from {@link Topics#BATCHES}, reports each request RUNNING at once and SUCCEEDED
 * (with a 1×1 PNG) {@code decodeMs} later, as if a GPU decoded its images side by side. The fleet
 * shares one producer and one consumer (reading every batch partition), so that hundreds of
 * workers fit in one process; the scheduler and the gateways cannot tell the difference.
 */
public final class SimulatedFleet implements AutoCloseable {

  /** The model every simulated worker serves. */
  public static final String MODEL = "fm-sim";
  private static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgAB4iG8MwAAAABJRU5ErkJggg==");
  private static final ModelDescriptor DESCRIPTOR = new ModelDescriptor(MODEL, 16, 256, 10, 512,
      List.of(Strategy.AR), 0);

  private record Sim(String id, int partition, AtomicInteger held, AtomicInteger peak) {}

  private final Map<String, Sim> sims = new HashMap<>();
  private final int capacity;
  private final long decodeMs;
  private final Duration heartbeatInterval;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "sim-fleet");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong finished = new AtomicLong();
  private volatile boolean running = true;
  private final Thread poller;

  /**
   * Starts {@code workers} simulated workers.
   *
   * @param bootstrap Kafka
   * @param capacity requests each holds at once
   * @param decodeMs how long each image takes
   */
  public SimulatedFleet(String bootstrap, int workers, int capacity, long decodeMs,
      Duration heartbeatInterval) {
    this.capacity = capacity;
    this.decodeMs = decodeMs;
    this.heartbeatInterval = heartbeatInterval;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 2));
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    List<TopicPartition> partitions = awaitPartitions();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    String run = Long.toHexString(System.nanoTime() & 0xfffff);
    for (int i = 0; i < workers; i++) {
      String id = "sim-" + run + "-" + i;
      sims.put(id, new Sim(id, Topics.mailboxOf(id, partitions.size()), new AtomicInteger(),
          new AtomicInteger()));
    }
    timers.scheduleAtFixedRate(this::heartbeats, 0, heartbeatInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    poller = new Thread(this::poll, "sim-fleet-batches");
    poller.setDaemon(true);
    poller.start();
  }

  private List<TopicPartition> awaitPartitions() {
    for (int i = 0; i < 120; i++) {
      var infos = consumer.partitionsFor(Topics.BATCHES, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("topic " + Topics.BATCHES + " does not exist");
  }

  private void heartbeats() {
    Instant now = Instant.now();
    for (Sim s : sims.values()) {
      int free = Math.max(0, capacity - s.held().get());
      WorkerHeartbeat h = new WorkerHeartbeat(s.id(), now, heartbeatInterval,
          List.of(DESCRIPTOR), Map.of(MODEL, free), !running, capacity,
          running ? List.of(s.partition()) : List.of(), 0, false, List.of(), s.peak().get());
      producer.send(new ProducerRecord<>(Topics.HEARTBEATS, s.id(), Json.toBytes(h)));
    }
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          GenerationBatch batch = Json.fromBytes(r.value(), GenerationBatch.class);
          Sim sim = batch.workerId() == null ? null : sims.get(batch.workerId());
          if (sim != null) {
            decode(sim, batch);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  private void decode(Sim sim, GenerationBatch batch) {
    sim.peak().accumulateAndGet(sim.held().addAndGet(batch.size()), Math::max);
    Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS);
    for (GenerationRequest r : batch.requests()) {
      send(GenerationResult.running(r, batch.batchId(), sim.id(), started));
      timers.schedule(() -> {
        Instant done = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DecodeMetrics m = new DecodeMetrics(256, 256, 0, 0, 0, 1.0, new int[0], decodeMs);
        sim.held().decrementAndGet();
        send(GenerationResult.succeeded(r, batch.batchId(), sim.id(), started, done, m, 0, PNG));
        finished.incrementAndGet();
      }, decodeMs, TimeUnit.MILLISECONDS);
    }
  }

  private void send(GenerationResult result) {
    producer.send(new ProducerRecord<>(Topics.RESULTS, result.requestId(), Json.toBytes(result)));
  }

  /** Images the fleet finished. */
  public long finished() {
    return finished.get();
  }

  /** The most requests any simulated worker held at once, and its capacity. */
  public int peakHeld() {
    return sims.values().stream().mapToInt(s -> s.peak().get()).max().orElse(0);
  }

  /** Ids of the simulated workers. */
  public List<String> ids() {
    return new ArrayList<>(sims.keySet());
  }

  /** The workers say they leave; the clients close. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeats(); // leaving
    timers.shutdownNow();
    producer.close(Duration.ofSeconds(5));
    consumer.close(Duration.ofSeconds(2));
  }
}
