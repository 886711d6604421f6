package dev.tessera.scheduler.dispatch;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The scheduler's view of {@code generations}: the rows waiting for a dispatch, and the claim that
 * moves rows to DISPATCHED. PostgreSQL decides who wins: a row is claimed once, whatever path (Kafka,
 * sweep, a second scheduler) brought its request.
 */
@Repository
class PendingRepository {

  private static final Logger log = LoggerFactory.getLogger(PendingRepository.class);

  /** The columns a wire request is rebuilt from. */
  private static final String REQUEST_COLUMNS = """
      id, tenant_id, api_key_id, model, strategy, class_label, seed, cfg_scale, temperature, top_k,
      top_p, draft_len, lantern_k, lantern_delta, lantern_rule, tree_top_k, tree_tokens,
      draft_threshold, tree_kind, priority, deadline, attempt, queued_at
      """;

  private final JdbcClient jdbc;

  PendingRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Rows waiting for a dispatch, oldest first, rebuilt as wire requests: QUEUED ones accepted at or
   * before {@code cutoff}, and RETRYING ones due at or before it ({@link RetryPoller} hands those
   * over as they fall due; this catches any it missed, and a restart's rebuild finds them all).
   */
  List<GenerationRequest> findQueued(Instant cutoff, int limit) {
    return jdbc.sql("SELECT " + REQUEST_COLUMNS + """
            FROM generations
            WHERE (state = 'QUEUED' AND queued_at <= :cutoff)
               OR (state = 'RETRYING' AND retry_at <= :cutoff)
            ORDER BY queued_at
            LIMIT :limit""")
        .param("cutoff", Timestamp.from(cutoff)).param("limit", limit)
        .query((rs, n) -> request(rs))
        .list().stream().filter(r -> r != null).toList();
  }

  /** RETRYING rows whose backoff has passed at {@code now}, most overdue first. */
  List<GenerationRequest> findDueRetries(Instant now, int limit) {
    return jdbc.sql("SELECT " + REQUEST_COLUMNS + """
            FROM generations
            WHERE state = 'RETRYING' AND retry_at <= :now
            ORDER BY retry_at
            LIMIT :limit""")
        .param("now", Timestamp.from(now)).param("limit", limit)
        .query((rs, n) -> request(rs))
        .list().stream().filter(r -> r != null).toList();
  }

  /**
   * Claims rows for a batch: those still QUEUED, or RETRYING and due, move to DISPATCHED with the
   * batch id and their next attempt number. Returns the claimed ids with their new attempt numbers;
   * rows that were claimed before (or cancelled, or gone, or past their deadline: those expire in
   * the queue) are not in it. The rows remember the worker, so they can be re-queued if it goes.
   */
  Map<UUID, Integer> claim(Collection<UUID> ids, UUID batchId, String workerId, Instant now) {
    return jdbc.sql("""
            UPDATE generations
            SET state = 'DISPATCHED', dispatched_at = :now, batch_id = :batch, worker_id = :worker,
                attempt = attempt + 1, updated_at = :now
            WHERE id IN (:ids)
              AND (state = 'QUEUED' OR (state = 'RETRYING' AND retry_at <= :now))
              AND (deadline IS NULL OR deadline > :now)
            RETURNING id, attempt""")
        .param("ids", ids).param("batch", batchId).param("worker", workerId)
        .param("now", Timestamp.from(now))
        .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), rs.getInt("attempt")))
        .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /**
   * Puts the requests a gone worker held (DISPATCHED or RUNNING there, no terminal result) back to
   * QUEUED, keeping their acceptance time (and so their aging); returns them.
   */
  List<GenerationRequest> requeue(String workerId, Instant now) {
    return jdbc.sql("""
            UPDATE generations
            SET state = 'QUEUED', worker_id = NULL, batch_id = NULL, updated_at = :now
            WHERE worker_id = :worker AND state IN ('DISPATCHED', 'RUNNING')
            """ + "RETURNING " + REQUEST_COLUMNS)
        .param("worker", workerId).param("now", Timestamp.from(now))
        .query((rs, n) -> request(rs))
        .list().stream().filter(r -> r != null).toList();
  }

  /**
   * Puts requests a draining worker gave back (not started there, or abandoned) back to QUEUED, if
   * they are still DISPATCHED or RUNNING there; returns those.
   */
  List<GenerationRequest> requeueHandedBack(String workerId, Collection<String> ids, Instant now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("""
            UPDATE generations
            SET state = 'QUEUED', worker_id = NULL, batch_id = NULL, updated_at = :now
            WHERE worker_id = :worker AND state IN ('DISPATCHED', 'RUNNING') AND id IN (:ids)
            """ + "RETURNING " + REQUEST_COLUMNS)
        .param("worker", workerId).param("now", Timestamp.from(now))
        .param("ids", ids.stream().map(UUID::fromString).toList())
        .query((rs, n) -> request(rs))
        .list().stream().filter(r -> r != null).toList();
  }

  /** Records the dispatch of each request's attempt (in the claim's transaction). */
  void recordDispatches(List<GenerationRequest> requests, UUID batchId, String workerId,
      String schedulerId, long token, Instant now) {
    for (GenerationRequest r : requests) {
      jdbc.sql("""
              INSERT INTO dispatches (request_id, attempt, batch_id, worker_id, scheduler_id,
                                      fencing_token, dispatched_at)
              VALUES (:id, :attempt, :batch, :worker, :scheduler, :token, :now)""")
          .param("id", UUID.fromString(r.id())).param("attempt", r.attempt())
          .param("batch", batchId).param("worker", workerId).param("scheduler", schedulerId)
          .param("token", token).param("now", Timestamp.from(now))
          .update();
    }
  }

  /** Request id → worker of every DISPATCHED or RUNNING row: what each worker holds. */
  Map<String, String> heldByWorkers() {
    Map<String, String> held = new java.util.HashMap<>();
    jdbc.sql("""
            SELECT id, worker_id FROM generations
            WHERE state IN ('DISPATCHED', 'RUNNING') AND worker_id IS NOT NULL""")
        .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class).toString(),
            rs.getString("worker_id")))
        .list().forEach(e -> held.put(e.getKey(), e.getValue()));
    return held;
  }

  private static GenerationRequest request(ResultSet rs) throws SQLException {
    try {
      Timestamp deadline = rs.getTimestamp("deadline");
      return new GenerationRequest(
          rs.getObject("id", UUID.class).toString(),
          rs.getObject("tenant_id", UUID.class).toString(),
          rs.getObject("api_key_id", UUID.class).toString(),
          rs.getString("model"),
          rs.getInt("class_label"),
          Strategy.fromApiName(rs.getString("strategy")),
          rs.getLong("seed"),
          new SamplingParams(rs.getDouble("cfg_scale"), rs.getDouble("temperature"),
              rs.getInt("top_k"), rs.getDouble("top_p")),
          new StrategyParams(rs.getInt("draft_len"), rs.getInt("lantern_k"),
              rs.getDouble("lantern_delta"), rs.getString("lantern_rule"),
              rs.getInt("tree_top_k"), rs.getInt("tree_tokens"), rs.getDouble("draft_threshold"),
              rs.getString("tree_kind")),
          Priority.fromApiName(rs.getString("priority")),
          deadline == null ? null : deadline.toInstant(),
          rs.getInt("attempt"),
          rs.getTimestamp("queued_at").toInstant());
    } catch (IllegalArgumentException e) {
      log.error("generation row {} cannot be rebuilt into a request", rs.getString("id"), e);
      return null;
    }
  }
}
