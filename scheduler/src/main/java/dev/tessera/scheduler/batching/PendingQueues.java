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

  /**
   * Takes every batch the policy says is due at {@code now}, and every request whose deadline is at
   * or before {@code now}, out of the queues.
   */
  public Plan plan(Instant now) {
    List<Pending> expired = new ArrayList<>();
    List<List<Pending>> batches = new ArrayList<>();
    Instant nextWake = null;
    for (Iterator<LinkedHashMap<String, Pending>> it = groups.values().iterator(); it.hasNext(); ) {
      LinkedHashMap<String, Pending> queue = it.next();
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
      while (!queue.isEmpty()) {
        Pending oldest = queue.values().iterator().next();
        BatchPolicy.Decision decision = policy.decide(queue.size(), oldest.enqueuedAt(), now);
        if (decision instanceof BatchPolicy.Dispatch dispatch) {
          int size = dispatch.count();
          // every full batch at once, in one pass of the ordering (it charges as it picks)
          int take = queue.size() >= policy.maxBatchSize()
              ? queue.size() / policy.maxBatchSize() * policy.maxBatchSize() : size;
          List<Pending> picked = order.pick(queue.values(), take, now, Pending::request);
          for (int i = 0; i < picked.size(); i += size) {
            List<Pending> batch = new ArrayList<>(picked.subList(i, Math.min(i + size,
                picked.size())));
            batch.forEach(p -> {
              queue.remove(p.request().id());
              untrack(p);
            });
            batches.add(batch);
          }
        } else {
          if (decision instanceof BatchPolicy.WaitUntil wait
              && (nextWake == null || wait.wakeAt().isBefore(nextWake))) {
            nextWake = wait.wakeAt();
          }
          break;
        }
      }
      if (queue.isEmpty()) {
        it.remove();
      }
    }
    return new Plan(batches, expired, Optional.ofNullable(nextWake));
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
