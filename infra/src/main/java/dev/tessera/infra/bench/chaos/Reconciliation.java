package dev.tessera.infra.bench.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the clients saw, checked against what PostgreSQL, Redis and Kafka hold after the drain.
 *
 * @param accepted generations stored for the run's tenants (each was accepted, whether or not its
 *     client heard the 202)
 * @param succeeded of those, SUCCEEDED
 * @param failed the other terminal ones, by error code (or state when there is none)
 * @param lost accepted and never terminal, or answered 202 and not stored
 * @param duplicated a ticket answered with two generations, two generations under one key, a state
 *     that changed after it was terminal, or a client's terminal state that PostgreSQL contradicts
 * @param billingMismatches a terminal generation without exactly one usage event, an unfinished one
 *     with one, a usage event whose state or billability contradicts the generation, or a tenant whose
 *     usage API total differs from its SUCCEEDED count
 * @param storedButRefused a request answered 5xx/503 that a later attempt found stored (a replay)
 * @param cacheMismatches Redis's cached view of a generation says another state than PostgreSQL
 * @param decodedTwice generations with more than one terminal result on Kafka (a zombie's late
 *     result, a re-queued request decoded again): recorded once, so not a duplicate, but a cost
 * @param problems the first few violations, in words
 */
record Reconciliation(long accepted, long succeeded, Map<String, Long> failed, long lost,
    long duplicated, long billingMismatches, long storedButRefused, long cacheMismatches,
    long decodedTwice, long abandoned, long refused, List<String> problems) {

  private static final int KEPT = 20;

  /**
   * Checks everything.
   *
   * @param stored the run's tenants' generations in PostgreSQL
   * @param tickets what the clients sent and were answered
   * @param watches what the clients saw of each accepted generation, by id
   * @param usageApiImages each tenant's billable images as {@code GET /v1/usage} reports them
   * @param terminalResultsOnKafka terminal results per generation id on the results topic
   * @param cachedStatus the status of each generation cached in Redis
   */
  static Reconciliation of(List<StoredGeneration> stored, List<Ticket> tickets,
      Map<String, StatusWatcher.Watch> watches, Map<String, Long> usageApiImages,
      Map<String, Integer> terminalResultsOnKafka, Map<String, String> cachedStatus) {
    List<String> problems = new ArrayList<>();
    Map<String, StoredGeneration> byId = new HashMap<>();
    Map<String, Long> failed = new TreeMap<>();
    Map<String, Long> succeededByTenant = new HashMap<>();
    Set<String> keys = new HashSet<>();
    long lost = 0;
    long duplicated = 0;
    long billing = 0;
    long succeeded = 0;
    for (StoredGeneration g : stored) {
      byId.put(g.id(), g);
      if (g.idempotencyKey() != null && !keys.add(g.tenant() + "/" + g.idempotencyKey())) {
        duplicated++;
        note(problems, "two generations under one Idempotency-Key: " + g.idempotencyKey());
      }
      if (!g.terminal()) {
        lost++;
        note(problems, "lost: " + g.id() + " is still " + g.state());
        if (g.usageRows() > 0) {
          billing++;
          note(problems, "usage event for unfinished " + g.id());
        }
        continue;
      }
      if ("SUCCEEDED".equals(g.state())) {
        succeeded++;
        succeededByTenant.merge(g.tenant(), 1L, Long::sum);
      } else {
        failed.merge(g.errorCode() != null ? g.errorCode() : g.state(), 1L, Long::sum);
      }
      if (g.usageRows() != 1) {
        billing++;
        note(problems, g.usageRows() + " usage events for " + g.state() + " " + g.id());
      } else if (!g.state().equals(g.usageState())
          || !Boolean.valueOf("SUCCEEDED".equals(g.state())).equals(g.usageBillable())) {
        billing++;
        note(problems, "usage event of " + g.id() + " says " + g.usageState() + " billable="
            + g.usageBillable() + ", the generation " + g.state());
      }
    }
    for (Map.Entry<String, Long> e : usageApiImages.entrySet()) {
      long expected = succeededByTenant.getOrDefault(e.getKey(), 0L);
      if (e.getValue() != expected) {
        billing++;
        note(problems, "tenant " + e.getKey() + ": usage API reports " + e.getValue()
            + " images, " + expected + " generations SUCCEEDED");
      }
    }
    long storedButRefused = 0;
    long abandoned = 0;
    long refused = 0;
    for (Ticket t : tickets) {
      if (t.ids.size() > 1) {
        duplicated++;
        note(problems, "ticket " + t.idempotencyKey + " was answered " + t.ids);
      }
      if (t.storedButRefused) {
        storedButRefused++;
        note(problems, "ticket " + t.idempotencyKey + " was refused, yet stored");
      }
      if (t.outcome == Ticket.Outcome.ABANDONED) {
        abandoned++;
      } else if (t.outcome == Ticket.Outcome.REFUSED) {
        refused++;
        note(problems, "ticket " + t.idempotencyKey + " refused: " + t.refusal);
      }
      for (String id : t.ids) {
        if (!byId.containsKey(id)) {
          lost++;
          note(problems, "lost: " + id + " was answered 202 and is not stored");
        }
      }
    }
    for (Map.Entry<String, StatusWatcher.Watch> e : watches.entrySet()) {
      StatusWatcher.Watch w = e.getValue();
      StoredGeneration g = byId.get(e.getKey());
      if (w.wentBackTo != null) {
        duplicated++;
        note(problems, e.getKey() + " was " + w.terminalStatus + ", later " + w.wentBackTo);
      } else if (w.terminalStatus != null && g != null && !w.terminalStatus.equals(g.state())) {
        duplicated++;
        note(problems, e.getKey() + " was " + w.terminalStatus + " to its client, "
            + g.state() + " in PostgreSQL");
      }
    }
    long cacheMismatches = 0;
    for (Map.Entry<String, String> e : cachedStatus.entrySet()) {
      StoredGeneration g = byId.get(e.getKey());
      if (g != null && !g.state().equals(e.getValue())) {
        cacheMismatches++;
        note(problems, "Redis caches " + e.getKey() + " as " + e.getValue() + ", PostgreSQL has "
            + g.state());
      }
    }
    long decodedTwice = terminalResultsOnKafka.entrySet().stream()
        .filter(e -> byId.containsKey(e.getKey()) && e.getValue() > 1).count();
    return new Reconciliation(stored.size(), succeeded, failed, lost, duplicated, billing,
        storedButRefused, cacheMismatches, decodedTwice, abandoned, refused, List.copyOf(problems));
  }

  private static void note(List<String> problems, String problem) {
    if (problems.size() < KEPT) {
      problems.add(problem);
    }
  }
}
