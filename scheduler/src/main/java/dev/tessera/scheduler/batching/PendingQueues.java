package dev.tessera.scheduler.batching;

import dev.tessera.contract.GenerationRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pending requests, one FIFO queue per {@link GroupKey}, each request at most once (Kafka and
 * the PostgreSQL sweep may both bring the same one). Not thread-safe: the dispatch loop guards it.
 */
public final class PendingQueues {

  /** A request and when it entered the queue. */
  public record Pending(GenerationRequest request, Instant enqueuedAt) {}

  /** Batches due now, and when to look again if nothing else happens. */
  public record Plan(List<List<Pending>> batches, Optional<Instant> nextWake) {}

  private final BatchPolicy policy;
  private final Map<GroupKey, LinkedHashMap<String, Pending>> groups = new LinkedHashMap<>();
  private final Set<String> ids = new HashSet<>();

  public PendingQueues(BatchPolicy policy) {
    this.policy = policy;
  }

  /** Adds a request at the back of its group; false if it is already pending. */
  public boolean add(GenerationRequest request, Instant enqueuedAt) {
    if (!ids.add(request.id())) {
      return false;
    }
    groups.computeIfAbsent(GroupKey.of(request), k -> new LinkedHashMap<>())
        .put(request.id(), new Pending(request, enqueuedAt));
    return true;
  }

  /** Puts requests whose dispatch failed back at the front of their group, in their order. */
  public void restore(List<Pending> batch) {
    Map<GroupKey, LinkedHashMap<String, Pending>> fronts = new LinkedHashMap<>();
    for (Pending p : batch) {
      if (ids.add(p.request().id())) {
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

  /** Takes every batch the policy says is due at {@code now} out of the queues. */
  public Plan plan(Instant now) {
    List<List<Pending>> batches = new ArrayList<>();
    Instant nextWake = null;
    for (Iterator<LinkedHashMap<String, Pending>> it = groups.values().iterator(); it.hasNext(); ) {
      LinkedHashMap<String, Pending> queue = it.next();
      while (!queue.isEmpty()) {
        Pending oldest = queue.values().iterator().next();
        BatchPolicy.Decision decision = policy.decide(queue.size(), oldest.enqueuedAt(), now);
        if (decision instanceof BatchPolicy.Dispatch dispatch) {
          batches.add(take(queue, dispatch.count()));
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
    return new Plan(batches, Optional.ofNullable(nextWake));
  }

  /** Whether the request is pending. */
  public boolean contains(String requestId) {
    return ids.contains(requestId);
  }

  /** Pending requests in all groups. */
  public int size() {
    return ids.size();
  }

  private List<Pending> take(LinkedHashMap<String, Pending> queue, int count) {
    List<Pending> batch = new ArrayList<>(count);
    Iterator<Pending> it = queue.values().iterator();
    while (batch.size() < count && it.hasNext()) {
      Pending p = it.next();
      it.remove();
      ids.remove(p.request().id());
      batch.add(p);
    }
    return batch;
  }
}
