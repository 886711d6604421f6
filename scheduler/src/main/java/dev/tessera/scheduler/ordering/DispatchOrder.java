package dev.tessera.scheduler.ordering;

import dev.tessera.contract.GenerationRequest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Picks the next requests to dispatch out of a group's pending ones: the most urgent effective level
 * first ({@link Aging}); within a level the tenant with the smallest {@link FairShare} counter, whose
 * own oldest request at that level goes; ties by acceptance time, then by the candidates' order. Every pick charges its work to its
 * tenant before the next pick, so one call that picks several batches is as fair as several calls.
 */
public final class DispatchOrder {

  private final Aging aging;
  private final WorkCost cost;
  private final FairShare share;
  private final ToDoubleFunction<String> weights;

  /**
   * @param aging the priority aging rule
   * @param cost decode work of a request
   * @param share the tenants' counters (charged by {@link #pick})
   * @param weights tenant id → weight (positive)
   */
  public DispatchOrder(Aging aging, WorkCost cost, FairShare share,
      ToDoubleFunction<String> weights) {
    this.aging = aging;
    this.cost = cost;
    this.share = share;
    this.weights = weights;
  }

  /**
   * Up to {@code limit} of {@code candidates} in dispatch order, charging each pick's work to its
   * tenant. Candidates are mapped to requests by {@code request}.
   */
  public <T> List<T> pick(Collection<T> candidates, int limit, Instant now,
      Function<T, GenerationRequest> request) {
    Map<String, List<Entry<T>>> byTenant = new HashMap<>();
    int seq = 0;
    for (T c : candidates) {
      GenerationRequest r = request.apply(c);
      byTenant.computeIfAbsent(r.tenantId(), k -> new ArrayList<>())
          .add(new Entry<>(c, r, aging.effectiveLevel(r.priority(), r.queuedAt(), now), seq++));
    }
    Comparator<Entry<T>> own = Comparator.<Entry<T>>comparingInt(Entry::level)
        .thenComparing(e -> e.request().queuedAt()).thenComparingInt(Entry::seq);
    Map<String, Deque<Entry<T>>> heads = new HashMap<>();
    byTenant.forEach((tenant, list) -> {
      list.sort(own);
      heads.put(tenant, new ArrayDeque<>(list));
    });
    List<T> picked = new ArrayList<>(Math.min(limit, candidates.size()));
    while (picked.size() < limit && !heads.isEmpty()) {
      String best = null;
      Entry<T> bestHead = null;
      for (Map.Entry<String, Deque<Entry<T>>> e : heads.entrySet()) {
        Entry<T> head = e.getValue().peekFirst();
        if (bestHead == null || better(head, e.getKey(), bestHead, best)) {
          best = e.getKey();
          bestHead = head;
        }
      }
      heads.get(best).pollFirst();
      if (heads.get(best).isEmpty()) {
        heads.remove(best);
      }
      share.charge(best, cost.of(bestHead.request()), weights.applyAsDouble(best));
      picked.add(bestHead.item());
    }
    return picked;
  }

  /** Gives back the charge of a picked request whose dispatch failed (it is pending again). */
  public void refund(GenerationRequest request) {
    share.refund(request.tenantId(), cost.of(request), weights.applyAsDouble(request.tenantId()));
  }

  /** A candidate with its effective level and its position among the candidates (last tie-break). */
  private record Entry<T>(T item, GenerationRequest request, int level, int seq) {}

  private <T> boolean better(Entry<T> a, String tenantA, Entry<T> b, String tenantB) {
    if (a.level() != b.level()) {
      return a.level() < b.level();
    }
    int byCounter = Double.compare(share.counter(tenantA), share.counter(tenantB));
    if (byCounter != 0) {
      return byCounter < 0;
    }
    int byAge = a.request().queuedAt().compareTo(b.request().queuedAt());
    return byAge != 0 ? byAge < 0 : a.seq() < b.seq();
  }
}
