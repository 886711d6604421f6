package dev.tessera.scheduler.fleet;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scheduler's view of the workers: who is alive, what each serves, how many requests it can hold,
 * and which requests it holds now. Heartbeats say the first three; the scheduler itself knows the
 * last (it assigns requests when it dispatches them, and forgets them when their terminal result
 * comes back), and a reconciliation with PostgreSQL corrects it after a restart or a missed event.
 *
 * <p>A worker is live while its last heartbeat is younger than the timeout and did not say it was
 * leaving. A worker that falls silent or leaves is taken out of rotation at once ({@link
 * #removeGone}); the caller re-queues what it held. Not thread-safe: the dispatch loop guards it.
 */
public final class WorkerFleet {

  /** Where to send a batch of a model: a live worker, one of its partitions, and its free room. */
  public record Target(String workerId, int partition, int free) {}

  private record Worker(String id, Set<String> models, int capacity, int reserve,
      List<Integer> partitions, Instant lastSeen, boolean draining, List<String> handedBack) {}

  private final Duration timeout;
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  /** Request id → the worker it was dispatched to, until its terminal result. */
  private final Map<String, String> held = new HashMap<>();
  /** Ids whose terminal result came back recently: a stale reconciliation must not revive them. */
  private final Map<String, Instant> finished = new LinkedHashMap<>();
  private final Map<String, Integer> nextPartition = new HashMap<>();
  /** Workers that left or fell silent, and when: their late results may still be on the way. */
  private final Map<String, Instant> departed = new LinkedHashMap<>();
  /** Request id → tenant, for the requests this scheduler dispatched and that are still held. */
  private final Map<String, String> tenantOf = new HashMap<>();

  /** @param timeout silence after which a worker is gone */
  public WorkerFleet(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Records a heartbeat. Returns true when the worker says it is leaving: it is out of rotation, and
   * the caller should re-queue what it held.
   */
  public boolean onHeartbeat(WorkerHeartbeat heartbeat, Instant receivedAt) {
    if (heartbeat.leaving()) {
      if (workers.remove(heartbeat.workerId()) != null) {
        departed.put(heartbeat.workerId(), receivedAt);
      }
      return true;
    }
    Instant seen = heartbeat.sentAt().isBefore(receivedAt) ? heartbeat.sentAt() : receivedAt;
    Worker previous = workers.get(heartbeat.workerId());
    if (previous != null && previous.lastSeen().isAfter(seen)) {
      return false; // an older heartbeat, replayed
    }
    workers.put(heartbeat.workerId(), new Worker(heartbeat.workerId(),
        heartbeat.models().stream().map(ModelDescriptor::name).collect(Collectors.toSet()),
        heartbeat.capacity(), heartbeat.highPriorityReserve(), heartbeat.partitions(), seen,
        heartbeat.draining(), heartbeat.handedBack()));
    return false;
  }

  /** What each draining worker handed back (the active scheduler queues it again). */
  public Map<String, List<String>> handedBack() {
    Map<String, List<String>> back = new LinkedHashMap<>();
    workers.values().stream().filter(w -> w.draining() && !w.handedBack().isEmpty())
        .forEach(w -> back.put(w.id(), w.handedBack()));
    return back;
  }

  /**
   * Takes workers silent for longer than the timeout out of rotation; returns their ids (the caller
   * re-queues what they held).
   */
  public List<String> removeGone(Instant now) {
    List<String> gone = new ArrayList<>();
    for (var it = workers.values().iterator(); it.hasNext(); ) {
      Worker w = it.next();
      if (Duration.between(w.lastSeen(), now).compareTo(timeout) > 0) {
        it.remove();
        gone.add(w.id());
        departed.put(w.id(), now);
      }
    }
    return gone;
  }

  /** The live worker serving {@code model} with the most room for ordinary work. */
  public Optional<Target> target(String model) {
    return target(model, false);
  }

  /**
   * The live worker serving {@code model} with the most free room, if any has room. Reserve-eligible
   * work (high priority, or a tenant with nothing held) may also take the room a worker reserves.
   */
  public Optional<Target> target(String model, boolean high) {
    Map<String, Integer> holding = holdingPerWorker();
    return workers.values().stream()
        .filter(w -> w.models().contains(model) && !w.partitions().isEmpty() && !w.draining())
        .map(w -> Map.entry(w, w.capacity() - (high ? 0 : w.reserve())
            - holding.getOrDefault(w.id(), 0)))
        .filter(e -> e.getValue() > 0)
        .max(Comparator.comparingInt(Map.Entry::getValue))
        .map(e -> new Target(e.getKey().id(), partitionOf(e.getKey()), e.getValue()));
  }

  /** Free room for {@code model} on its best worker (0 if none). */
  public int room(String model) {
    return room(model, false);
  }

  /** Free room for {@code model} on its best worker, for high-priority work or not. */
  public int room(String model, boolean high) {
    return target(model, high).map(Target::free).orElse(0);
  }

  /** The requests now belong to a worker (dispatched to it). */
  public void assign(String workerId, Collection<String> requestIds) {
    requestIds.forEach(id -> held.put(id, workerId));
  }

  /** The requests now belong to a worker; their tenants are remembered while they are held. */
  public void assignRequests(String workerId, Collection<GenerationRequest> requests) {
    requests.forEach(r -> {
      held.put(r.id(), workerId);
      tenantOf.put(r.id(), r.tenantId());
    });
  }

  /** Whether any request of the tenant is held by a worker (as far as this scheduler knows). */
  public boolean holdsFor(String tenantId) {
    return tenantOf.containsValue(tenantId);
  }

  /** A dispatch that did not happen: the requests are no longer the worker's. */
  public void unassign(Collection<String> requestIds) {
    requestIds.forEach(id -> {
      held.remove(id);
      tenantOf.remove(id);
    });
  }

  /** A request's terminal result came back: its worker has room again. */
  public void finished(String requestId, Instant now) {
    held.remove(requestId);
    tenantOf.remove(requestId);
    finished.put(requestId, now);
    Instant horizon = now.minus(Duration.ofMinutes(1));
    for (var it = finished.values().iterator(); it.hasNext() && it.next().isBefore(horizon); ) {
      it.remove();
    }
  }

  /** Forgets what a worker held (it was re-queued). */
  public void forget(String workerId) {
    held.entrySet().removeIf(e -> {
      boolean gone = e.getValue().equals(workerId);
      if (gone) {
        tenantOf.remove(e.getKey());
      }
      return gone;
    });
  }

  /**
   * Replaces what each worker holds by PostgreSQL's truth (request id → worker of every DISPATCHED or
   * RUNNING row), keeping out ids whose terminal result arrived in the last minute.
   */
  public void reconcile(Map<String, String> active) {
    held.clear();
    active.forEach((id, worker) -> {
      if (!finished.containsKey(id) && worker != null) {
        held.put(id, worker);
      }
    });
    tenantOf.keySet().retainAll(held.keySet());
  }

  /**
   * Workers that hold requests but are not live: gone before this scheduler saw them, or departed
   * more than the timeout ago (a worker that just left may still have results on the way, for
   * requests it finished; those must not be queued again).
   */
  public Set<String> orphanHolders(Instant now) {
    departed.values().removeIf(at -> at.isBefore(now.minus(Duration.ofHours(1))));
    return held.values().stream().filter(w -> !workers.containsKey(w))
        .filter(w -> !departed.containsKey(w) || departed.get(w).plus(timeout).isBefore(now))
        .collect(Collectors.toSet());
  }

  /** Whether the worker is live. */
  public boolean isLive(String workerId) {
    return workers.containsKey(workerId);
  }

  /** Requests held by a worker. */
  public int holding(String workerId) {
    return holdingPerWorker().getOrDefault(workerId, 0);
  }

  /** Live workers. */
  public int size() {
    return workers.size();
  }

  private Map<String, Integer> holdingPerWorker() {
    Map<String, Integer> counts = new HashMap<>();
    held.values().forEach(w -> counts.merge(w, 1, Integer::sum));
    return counts;
  }

  /** Round robin over the worker's partitions, so its batches spread. */
  private int partitionOf(Worker w) {
    int i = nextPartition.merge(w.id(), 1, Integer::sum);
    return w.partitions().get(Math.floorMod(i, w.partitions().size()));
  }
}
