package dev.tessera.gateway.catalog;

import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.WorkerHeartbeat;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The models the gateway accepts requests for, learnt from worker heartbeats. A model stays known
 * when its workers go away (requests for it queue until a worker is back); what counts is that some
 * worker has served it. Until the heartbeats on Kafka have been read to their end once ({@link
 * CatalogWarmup}), the catalog is not {@link #isComplete complete}: a model it does not know yet may
 * still be served.
 */
@Component
public class ModelCatalog {

  private final Map<String, ModelDescriptor> models = new ConcurrentHashMap<>();
  private final Map<String, Instant> workersLastSeen = new ConcurrentHashMap<>();
  private final Clock clock;
  private volatile boolean complete;

  ModelCatalog(Clock clock) {
    this.clock = clock;
  }

  /** Takes in a heartbeat: its models become (or stay) known. */
  public void onHeartbeat(WorkerHeartbeat heartbeat) {
    heartbeat.models().forEach(m -> models.put(m.name(), m));
    if (heartbeat.leaving()) {
      workersLastSeen.remove(heartbeat.workerId());
    } else {
      workersLastSeen.put(heartbeat.workerId(), clock.instant());
    }
  }

  /** Whether every heartbeat on Kafka when the gateway started has been taken in. */
  public boolean isComplete() {
    return complete;
  }

  /** The heartbeats Kafka held at start-up are in: a model still unknown is not served. */
  void markComplete() {
    complete = true;
  }

  /** The model with this name, if any worker has served it. */
  public Optional<ModelDescriptor> find(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** Every known model, by name. */
  public List<ModelDescriptor> all() {
    return models.values().stream().sorted(Comparator.comparing(ModelDescriptor::name)).toList();
  }

  /** Workers heard from, with when they were last heard from (gateway clock). */
  public Map<String, Instant> workers() {
    return Map.copyOf(workersLastSeen);
  }
}
