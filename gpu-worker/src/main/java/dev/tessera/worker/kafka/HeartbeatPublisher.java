package dev.tessera.worker.kafka;

import dev.tessera.contract.Json;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Topics;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.worker.WorkerId;
import dev.tessera.worker.WorkerProperties;
import dev.tessera.worker.engine.DecodeEngine;
import dev.tessera.worker.engine.ModelRegistry;
import dev.tessera.worker.engine.Drain;
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
 * requests it could still take, the most it ever held, and its mailbox partition (where the
 * scheduler sends its batches; none until the mailbox reads it). While it drains (SIGTERM) each
 * heartbeat says so, with the requests it handed back, and one goes out at once when the drain
 * starts. The last heartbeat, once the decode loop has stopped, says it is leaving.
 */
@Component
class HeartbeatPublisher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);

  private final WorkerProducer producer;
  private final ModelRegistry registry;
  private final DecodeEngine engine;
  private final MailboxPartition mailbox;
  private final Drain drain;
  private final WorkerProperties properties;
  private final String workerId;
  private final Clock clock;
  private ScheduledExecutorService timer;

  HeartbeatPublisher(WorkerProducer producer, ModelRegistry registry, DecodeEngine engine,
      MailboxPartition mailbox, Drain drain, WorkerProperties properties, WorkerId workerId,
      Clock clock) {
    this.producer = producer;
    this.registry = registry;
    this.engine = engine;
    this.mailbox = mailbox;
    this.drain = drain;
    drain.onChange(() -> send(false));
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

  /** Stops after the decode loop has drained (lower phases stop later). */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 75;
  }

  /** The mailbox partition, once the mailbox reads it; none while draining. */
  private List<Integer> batchPartitions() {
    return mailbox.get().stream().boxed().toList();
  }

  private synchronized void send(boolean leaving) {
    try {
      List<ModelDescriptor> models = registry.descriptors();
      int capacity = properties.capacity();
      boolean draining = drain.draining();
      int free = draining ? 0 : Math.max(0, capacity - engine.held());
      Map<String, Integer> freeSlots = models.stream()
          .collect(Collectors.toMap(ModelDescriptor::name, m -> free));
      WorkerHeartbeat heartbeat = new WorkerHeartbeat(workerId, clock.instant(),
          properties.heartbeatInterval(), models, freeSlots, leaving, capacity,
          leaving || draining ? List.of() : batchPartitions(), properties.highPriorityReserve(),
          draining, drain.handedBack(), engine.peakHeld());
      var sent = producer.template().send(Topics.HEARTBEATS, workerId, Json.toBytes(heartbeat));
      if (leaving) {
        sent.get(5, TimeUnit.SECONDS); // the last word must be out before the producer closes
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("heartbeat not sent: {}", e.toString());
    }
  }
}
