package dev.tessera.scheduler.batching;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.scheduler.ordering.Aging;
import dev.tessera.scheduler.ordering.DispatchOrder;
import dev.tessera.scheduler.ordering.FairShare;
import dev.tessera.scheduler.ordering.WorkCost;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pending requests, one queue per {@link GroupKey}, each request at most once (Kafka and the
 * PostgreSQL sweep may both bring the same one). When a group is due ({@link BatchPolicy}: full, or
 * its oldest request waited the maximum batch wait) its batches take requests in {@link
 * DispatchOrder}: priority with aging, then weighted tenant fairness. A request whose deadline passed
 * leaves the queue as expired, never dispatched. Not thread-safe: the dispatch loop guards it.
 */
public final class PendingQueues {

  /** A request and when it entered the queue. */
  public record Pending(GenerationRequest request, Instant enqueuedAt) {}

  /** Pending requests of one model at one (requested, not aged) priority. */
  public record WaitingKey(String model, Priority priority) {}

  /** Batches due now, requests whose deadline passed, and when to look again. */
  public record Plan(List<List<Pending>> batches, List<Pending> expired,
      Optional<Instant> nextWake) {

    public Plan(List<List<Pending>> batches, Optional<Instant> nextWake) {
      this(batches, List.of(), nextWake);
    }
  }

  private final BatchPolicy policy;
  private final DispatchOrder order;
  private final FairShare share;
  private final Aging aging;
  /** Insertion order per group: the first entry is the one that entered the queue first. */
  private final Map<GroupKey, LinkedHashMap<String, Pending>> groups = new LinkedHashMap<>();
  private final Map<String, Pending> byId = new HashMap<>();
  private final Map<String, Integer> pendingPerTenant = new HashMap<>();
  private final Map<WaitingKey, Integer> waiting = new HashMap<>();

  /** FIFO-fair defaults: every tenant weight 1, every image the same work, 30 s aging step. */
  public PendingQueues(BatchPolicy policy) {
    this(policy, new FairShare(), new Aging(Duration.ofSeconds(30)), WorkCost.UNIFORM, t -> 1.0);
  }

  public PendingQueues(BatchPolicy policy, FairShare share, Aging aging, WorkCost cost,
      java.util.function.ToDoubleFunction<String> weights) {
    this.policy = policy;
    this.share = share;
    this.aging = aging;
    this.order = new DispatchOrder(aging, cost, share, weights);
  }

  /** Adds a request to its group; false if it is already pending. */
  public boolean add(GenerationRequest request, Instant enqueuedAt) {
    if (byId.containsKey(request.id())) {
      return false;
    }
    Pending p = new Pending(request, enqueuedAt);
    track(p);
    groups.computeIfAbsent(GroupKey.of(request), k -> new LinkedHashMap<>())
        .put(request.id(), p);
    return true;
  }

  /**
   * Puts requests whose dispatch failed back at the front of their group, in their order, and gives
   * their tenants back the work they were charged.
   */
  public void restore(List<Pending> batch) {
    Map<GroupKey, LinkedHashMap<String, Pending>> fronts = new LinkedHashMap<>();
    for (Pending p : batch) {
      if (!byId.containsKey(p.request().id())) {
        order.refund(p.request());
        track(p);
        fronts.computeIfAbsent(GroupKey.of(p.request()), k -> new LinkedHashMap<>())
            .put(p.request().id(), p);
      }
    }
    fronts.forEach((key, front) -> {
      LinkedHashMap<String, Pending> rest = groups.getOrDefault(key, new LinkedHashMap<>());
      front.putAll(rest);
      groups.put(key, front);
    });
  }

  /** Empties the queue (a scheduler that stops dispatching; it rebuilds from PostgreSQL later). */
  public void clear() {
    List.copyOf(byId.keySet()).forEach(this::remove);
  }

  /** Removes a pending request (cancelled); returns it, if it was pending. */
  public Optional<Pending> remove(String requestId) {
    Pending p = byId.get(requestId);
    if (p == null) {
      return Optional.empty();
    }
    GroupKey key = GroupKey.of(p.request());
    LinkedHashMap<String, Pending> queue = groups.get(key);
    queue.remove(requestId);
    if (queue.isEmpty()) {
      groups.remove(key);
    }
    untrack(p);
    return Optional.of(p);
  }

  /** How many requests of a model the workers can take now; high-priority work may take more. */
  @FunctionalInterface
  public interface Room {
    int of(String model, boolean highPriority);
  }

  /** Plans with unlimited room (every due batch). */
  public Plan plan(Instant now) {
    return plan(now, (model, high) -> Integer.MAX_VALUE);
  }

  /**
   * Takes the batches due at {@code now} that the workers have room for, and every request whose
   * deadline is at or before {@code now}, out of the queues. {@code room} says how many requests of
   * a model a worker can take now; a batch is never larger. A group is due when it fills a batch (the
   * smaller of the maximum batch size and the room) or its oldest request waited the maximum batch
   * wait. Groups are served most urgent first (the best effective priority level among their
   * requests, then the oldest), since they compete for the same workers. When only the room workers
   * keep for high-priority work is left, a group's high-priority requests go at once, alone.
   */
  public Plan plan(Instant now, Room room) {
    return plan(now, room, r -> r.priority() == Priority.HIGH);
  }

  /**
   * As {@link #plan(Instant, Room)}, with the requests that may take the workers' reserved room:
   * high-priority ones, and (the dispatch loop's choice) those of a tenant with nothing on a worker,
   * so a light tenant's request starts at once even when a flood fills the ordinary room.
   */
  public Plan plan(Instant now, Room room, java.util.function.Predicate<GenerationRequest> reserve) {
    List<Pending> expired = new ArrayList<>();
    List<List<Pending>> batches = new ArrayList<>();
    Map<String, Integer> taken = new HashMap<>();
    Instant nextWake = null;
    for (LinkedHashMap<String, Pending> queue : groups.values()) {
      for (Iterator<Pending> ps = queue.values().iterator(); ps.hasNext(); ) {
        Pending p = ps.next();
        Instant deadline = p.request().deadline();
        if (deadline != null && !now.isBefore(deadline)) {
          ps.remove();
          untrack(p);
          expired.add(p);
        } else if (deadline != null && (nextWake == null || deadline.isBefore(nextWake))) {
          nextWake = deadline;
        }
      }
    }
    groups.values().removeIf(Map::isEmpty);
    for (LinkedHashMap<String, Pending> queue : byUrgency(now)) {
      String model = queue.values().iterator().next().request().model();
      while (!queue.isEmpty()) {
        int used = taken.getOrDefault(model, 0);
        int left = room.of(model, false) - used;
        if (left <= 0) {
          List<Pending> urgent = queue.values().stream()
              .filter(p -> reserve.test(p.request())).toList();
          int reserved = Math.min(policy.maxBatchSize(), room.of(model, true) - used);
          if (urgent.isEmpty() || reserved <= 0) {
            break; // the loop looks again when a worker reports room
          }
          List<Pending> batch = new ArrayList<>(order.pick(urgent,
              Math.min(reserved, firstPerTenant(urgent)), now, Pending::request));
          batch.forEach(p -> {
            queue.remove(p.request().id());
            untrack(p);
          });
          taken.merge(model, batch.size(), Integer::sum);
          batches.add(batch);
          continue;
        }
        int cap = Math.min(policy.maxBatchSize(), left);
        Pending oldest = queue.values().iterator().next();
        BatchPolicy.Decision decision = queue.size() >= cap ? new BatchPolicy.Dispatch(cap)
            : policy.decide(queue.size(), oldest.enqueuedAt(), now);
        if (decision instanceof BatchPolicy.Dispatch dispatch) {
          List<Pending> batch = new ArrayList<>(order.pick(queue.values(),
              Math.min(dispatch.count(), cap), now, Pending::request));
          batch.forEach(p -> {
            queue.remove(p.request().id());
            untrack(p);
          });
          taken.merge(model, batch.size(), Integer::sum);
          batches.add(batch);
        } else {
          if (decision instanceof BatchPolicy.WaitUntil wait
              && (nextWake == null || wait.wakeAt().isBefore(nextWake))) {
            nextWake = wait.wakeAt();
          }
          break;
        }
      }
    }
    groups.values().removeIf(Map::isEmpty);
    return new Plan(batches, expired, Optional.ofNullable(nextWake));
  }

  /** How many distinct tenants the requests belong to (a reserve batch takes one each at most). */
  private static int firstPerTenant(List<Pending> requests) {
    return (int) requests.stream().map(p -> p.request().tenantId()).distinct().count();
  }

  /** The non-empty groups, most urgent first: best effective level, then oldest request. */
  private List<LinkedHashMap<String, Pending>> byUrgency(Instant now) {
    List<LinkedHashMap<String, Pending>> ordered = new ArrayList<>(groups.values());
    ordered.sort(Comparator
        .comparingInt((LinkedHashMap<String, Pending> q) -> q.values().stream()
            .mapToInt(p -> aging.effectiveLevel(p.request().priority(), p.request().queuedAt(), now))
            .min().orElse(Integer.MAX_VALUE))
        .thenComparing(q -> q.values().iterator().next().enqueuedAt()));
    return ordered;
  }

  /** Whether the request is pending. */
  public boolean contains(String requestId) {
    return byId.containsKey(requestId);
  }

  /** Pending requests in all groups. */
  public int size() {
    return byId.size();
  }

  /** Pending requests by model and requested priority (keys with none pending are absent). */
  public Map<WaitingKey, Integer> waiting() {
    return Map.copyOf(waiting);
  }

  /** A request enters: a tenant with nothing pending becomes active and is lifted (no banking). */
  private void track(Pending p) {
    byId.put(p.request().id(), p);
    waiting.merge(waitingKey(p), 1, Integer::sum);
    String tenant = p.request().tenantId();
    if (pendingPerTenant.merge(tenant, 1, Integer::sum) == 1) {
      share.activate(tenant, pendingPerTenant.keySet());
    }
  }

  private static WaitingKey waitingKey(Pending p) {
    return new WaitingKey(p.request().model(), p.request().priority());
  }

  private void untrack(Pending p) {
    byId.remove(p.request().id());
    waiting.computeIfPresent(waitingKey(p), (k, n) -> n == 1 ? null : n - 1);
    pendingPerTenant.computeIfPresent(p.request().tenantId(), (t, n) -> n == 1 ? null : n - 1);
  }
}
