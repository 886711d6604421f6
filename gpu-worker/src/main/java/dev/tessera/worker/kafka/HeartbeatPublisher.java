package dev.tessera.worker.kafka;

import dev.tessera.contract.Json;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Topics;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.worker.WorkerId;
import dev.tessera.worker.WorkerProperties;
import dev.tessera.worker.engine.DecodeEngine;
import dev.tessera.worker.engine.ModelRegistry;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Announces the worker on {@link Topics#HEARTBEATS} every interval: its models, its capacity, the
 * requests it could still take, and the batch partitions it consumes (where the scheduler sends its
 * batches). The last heartbeat, on shutdown, says it is leaving.
 */
@Component
class HeartbeatPublisher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);

  private final WorkerProducer producer;
  private final ModelRegistry registry;
  private final DecodeEngine engine;
  private final KafkaListenerEndpointRegistry listeners;
  private final WorkerProperties properties;
  private final String workerId;
  private final Clock clock;
  private ScheduledExecutorService timer;

  HeartbeatPublisher(WorkerProducer producer, ModelRegistry registry, DecodeEngine engine,
      KafkaListenerEndpointRegistry listeners, WorkerProperties properties, WorkerId workerId,
      Clock clock) {
    this.producer = producer;
    this.registry = registry;
    this.engine = engine;
    this.listeners = listeners;
    this.properties = properties;
    this.workerId = workerId.value();
    this.clock = clock;
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tessera-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long ms = properties.heartbeatInterval().toMillis();
    timer.scheduleAtFixedRate(() -> send(false), 0, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    timer.shutdownNow();
    send(true);
    timer = null;
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }

  /** The partitions of the batches topic this worker consumes now (empty before assignment). */
  private List<Integer> batchPartitions() {
    MessageListenerContainer container = listeners.getListenerContainer(BatchListener.LISTENER_ID);
    if (container == null || container.getAssignedPartitions() == null) {
      return List.of();
    }
    return container.getAssignedPartitions().stream().map(TopicPartition::partition).sorted()
        .toList();
  }

  private void send(boolean leaving) {
    try {
      List<ModelDescriptor> models = registry.descriptors();
      int capacity = properties.capacity();
      int free = Math.max(0, capacity - engine.held());
      Map<String, Integer> freeSlots = models.stream()
          .collect(Collectors.toMap(ModelDescriptor::name, m -> free));
      WorkerHeartbeat heartbeat = new WorkerHeartbeat(workerId, clock.instant(),
          properties.heartbeatInterval(), models, freeSlots, leaving, capacity,
          leaving ? List.of() : batchPartitions(), properties.highPriorityReserve());
      producer.template().send(Topics.HEARTBEATS, workerId, Json.toBytes(heartbeat));
    } catch (RuntimeException e) {
      log.warn("heartbeat not sent: {}", e.toString());
    }
  }
}
