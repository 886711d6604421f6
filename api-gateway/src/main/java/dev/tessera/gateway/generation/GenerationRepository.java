package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.StrategyParams;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code generations} table, as the gateway and its result recorder use it. */
@Repository
public class GenerationRepository {

  /** A terminal outcome to store, with its derived latency. */
  public record Finish(
      UUID id, GenerationState state, Instant at, Instant startedAt, String workerId, UUID batchId,
      int attempt, GenerationView.Metrics metrics, GenerationView.Latency latency, byte[] png,
      String errorCode, String errorMessage) {}

  private static final String COLUMNS = """
      id, tenant_id, api_key_id, model, strategy, class_label, seed, cfg_scale, temperature, top_k,
      top_p, draft_len, lantern_k, lantern_delta, lantern_rule, tree_top_k, tree_tokens,
      draft_threshold, tree_kind, priority, deadline, state, attempt, batch_id,
      worker_id, queued_at, dispatched_at, running_at, retrying_at, succeeded_at, failed_at,
      cancelled_at, expired_at, steps, target_forwards, drafter_forwards, drafted_tokens,
      accepted_tokens, mean_accepted_length, accepted_histogram, queue_ms, batch_wait_ms, decode_ms,
      encode_ms, end_to_end_ms, error_code, error_message, image_png IS NOT NULL AS has_image""";

  /** The timestamp column of each state, for the UPDATEs (never user input). */
  private static final Map<GenerationState, String> STATE_COLUMN = Map.of(
      GenerationState.QUEUED, "queued_at", GenerationState.DISPATCHED, "dispatched_at",
      GenerationState.RUNNING, "running_at", GenerationState.RETRYING, "retrying_at",
      GenerationState.SUCCEEDED, "succeeded_at", GenerationState.FAILED, "failed_at",
      GenerationState.CANCELLED, "cancelled_at", GenerationState.EXPIRED, "expired_at");

  private static final String ACTIVE = "('QUEUED', 'DISPATCHED', 'RUNNING', 'RETRYING')";

  private final JdbcClient jdbc;

  GenerationRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The generation an Idempotency-Key was first used for, and the body it came with. */
  public record IdempotentRequest(UUID id, String fingerprint, GenerationState state) {}

  /** Stores a newly accepted request in state QUEUED. */
  public void insertQueued(GenerationRequest r) {
    insertQueued(r, null, null);
  }

  /**
   * Stores a newly accepted request in state QUEUED, with its Idempotency-Key (or null).
   *
   * @throws org.springframework.dao.DuplicateKeyException if the tenant already used the key: the
   *     unique index on (tenant, key) decides between concurrent duplicates
   */
  public void insertQueued(GenerationRequest r, String idempotencyKey, String fingerprint) {
    jdbc.sql("""
            INSERT INTO generations (id, tenant_id, api_key_id, idempotency_key, request_fingerprint,
                model, strategy, class_label, seed, cfg_scale, temperature, top_k, top_p, draft_len,
                lantern_k, lantern_delta, lantern_rule, tree_top_k, tree_tokens, draft_threshold,
                tree_kind, priority, deadline, state, attempt, queued_at, updated_at)
            VALUES (:id, :tenant, :key, :idempotencyKey, :fingerprint, :model, :strategy,
                :classLabel, :seed, :cfg, :temperature, :topK, :topP, :draftLen, :lanternK,
                :lanternDelta, :lanternRule, :treeTopK, :treeTokens, :draftThreshold, :treeKind,
                :priority, :deadline, 'QUEUED', 0, :queuedAt, :queuedAt)""")
        .param("idempotencyKey", idempotencyKey)
        .param("fingerprint", fingerprint)
        .param("id", UUID.fromString(r.id()))
        .param("tenant", UUID.fromString(r.tenantId()))
        .param("key", UUID.fromString(r.apiKeyId()))
        .param("model", r.model())
        .param("strategy", r.strategy().apiName())
        .param("classLabel", r.classLabel())
        .param("seed", r.seed())
        .param("cfg", r.sampling().cfgScale())
        .param("temperature", r.sampling().temperature())
        .param("topK", r.sampling().topK())
        .param("topP", r.sampling().topP())
        .param("draftLen", r.strategyParams().draftLen())
        .param("lanternK", r.strategyParams().lanternK())
        .param("lanternDelta", r.strategyParams().lanternDelta())
        .param("lanternRule", r.strategyParams().lanternRule())
        .param("treeTopK", r.strategyParams().treeTopK())
        .param("treeTokens", r.strategyParams().treeTokens())
        .param("draftThreshold", r.strategyParams().draftThreshold())
        .param("treeKind", r.strategyParams().treeKind())
        .param("priority", r.priority().apiName())
        .param("deadline", ts(r.deadline()))
        .param("queuedAt", ts(r.queuedAt()))
        .update();
  }

  /** The request a tenant first sent with this Idempotency-Key, if any. */
  public Optional<IdempotentRequest> findByIdempotencyKey(UUID tenantId, String key) {
    return jdbc.sql("""
            SELECT id, request_fingerprint, state FROM generations
            WHERE tenant_id = :tenant AND idempotency_key = :key""")
        .param("tenant", tenantId).param("key", key)
        .query((rs, n) -> new IdempotentRequest(rs.getObject("id", UUID.class),
            rs.getString("request_fingerprint"), GenerationState.valueOf(rs.getString("state"))))
        .optional();
  }

  /**
   * The requests a tenant sent with any of these Idempotency-Keys (a batch stores one key per
   * item), by key; keys not used are absent.
   */
  public Map<String, IdempotentRequest> findByIdempotencyKeys(UUID tenantId, List<String> keys) {
    return jdbc.sql("""
            SELECT id, request_fingerprint, state, idempotency_key FROM generations
            WHERE tenant_id = :tenant AND idempotency_key IN (:keys)""")
        .param("tenant", tenantId).param("keys", keys)
        .query((rs, n) -> Map.entry(rs.getString("idempotency_key"),
            new IdempotentRequest(rs.getObject("id", UUID.class),
                rs.getString("request_fingerprint"),
                GenerationState.valueOf(rs.getString("state")))))
        .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** Where a generation is: its state and dispatch attempt. */
  public record Progress(GenerationState state, int attempt) {}

  /** The state and attempt of each of these generations that exists, by id. */
  public Map<UUID, Progress> progress(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return jdbc.sql("SELECT id, state, attempt FROM generations WHERE id IN (:ids)")
        .param("ids", ids)
        .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class),
            new Progress(GenerationState.valueOf(rs.getString("state")), rs.getInt("attempt"))))
        .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** The row, without its image. */
  public Optional<GenerationRow> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM generations WHERE id = :id")
        .param("id", id).query((rs, n) -> row(rs)).optional();
  }

  /** The rows of these ids that exist, without their images, in no particular order. */
  public List<GenerationRow> findAll(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT " + COLUMNS + " FROM generations WHERE id IN (:ids)")
        .param("ids", ids).query((rs, n) -> row(rs)).list();
  }

  /** The row, locked until the end of the current transaction. */
  public Optional<GenerationRow> findForUpdate(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM generations WHERE id = :id FOR UPDATE")
        .param("id", id).query((rs, n) -> row(rs)).optional();
  }

  /** The PNG of a generation, if stored. */
  public Optional<byte[]> findImage(UUID id) {
    return jdbc.sql("SELECT image_png FROM generations WHERE id = :id AND image_png IS NOT NULL")
        .param("id", id).query((rs, n) -> rs.getBytes(1)).optional();
  }

  /**
   * Moves an active row to RUNNING; false if it is already terminal, or RETRYING after a failure of
   * this attempt or a later one (a late event of an attempt that already failed).
   */
  public boolean markRunning(UUID id, Instant startedAt, String workerId, UUID batchId, int attempt,
      Instant now) {
    return jdbc.sql("""
            UPDATE generations SET state = 'RUNNING', running_at = :startedAt, worker_id = :worker,
                batch_id = :batch, attempt = GREATEST(attempt, :attempt), updated_at = :now
            WHERE id = :id AND NOT (state = 'RETRYING' AND attempt >= :attempt)
              AND state IN """ + ACTIVE)
        .param("id", id).param("startedAt", ts(startedAt)).param("worker", workerId)
        .param("batch", batchId).param("attempt", attempt).param("now", ts(now))
        .update() == 1;
  }

  /**
   * Moves a dispatched row to RETRYING after a retryable failure of {@code attempt}, keeping the
   * error; the scheduler dispatches it again from {@code retryAt}. Returns whether the row was
   * DISPATCHED or RUNNING at that attempt (and so moved).
   */
  public boolean markRetrying(UUID id, int attempt, Instant retryAt, Instant now, String errorCode,
      String errorMessage) {
    return jdbc.sql("""
            UPDATE generations SET state = 'RETRYING', retrying_at = :now, retry_at = :retryAt,
                error_code = :errorCode, error_message = :errorMessage, updated_at = :now
            WHERE id = :id AND state IN ('DISPATCHED', 'RUNNING') AND attempt = :attempt""")
        .param("id", id).param("attempt", attempt).param("retryAt", ts(retryAt))
        .param("now", ts(now)).param("errorCode", errorCode).param("errorMessage", errorMessage)
        .update() == 1;
  }

  /**
   * Puts a FAILED row back to QUEUED for a replay: a new life under the same id, accepted
   * {@code now}, attempt 0, with everything its failed life left (dispatch, worker, timestamps,
   * metrics, latency, error) cleared; the dead letter keeps the error. {@code deadline} replaces
   * the old one. Returns whether the row was FAILED (and so moved).
   */
  public boolean requeueFailed(UUID id, Instant now, Instant deadline) {
    return jdbc.sql("""
            UPDATE generations SET state = 'QUEUED', attempt = 0, queued_at = :now,
                deadline = :deadline, batch_id = NULL, worker_id = NULL, dispatched_at = NULL,
                running_at = NULL, retrying_at = NULL, retry_at = NULL, failed_at = NULL,
                steps = NULL, target_forwards = NULL, drafter_forwards = NULL,
                drafted_tokens = NULL, accepted_tokens = NULL, mean_accepted_length = NULL,
                accepted_histogram = NULL, queue_ms = NULL, batch_wait_ms = NULL, decode_ms = NULL,
                encode_ms = NULL, end_to_end_ms = NULL, image_png = NULL, error_code = NULL,
                error_message = NULL, updated_at = :now
            WHERE id = :id AND state = 'FAILED'""")
        .param("id", id).param("now", ts(now)).param("deadline", ts(deadline))
        .update() == 1;
  }

  /**
   * Stores a terminal outcome, once: the state condition makes a second call for the same id change
   * nothing. Returns whether this call stored it.
   */
  public boolean finish(Finish f) {
    if (!f.state().isTerminal()) {
      throw new IllegalArgumentException("not a terminal state: " + f.state());
    }
    GenerationView.Metrics m = f.metrics();
    GenerationView.Latency l = f.latency();
    return jdbc.sql("UPDATE generations SET state = :state, " + STATE_COLUMN.get(f.state())
            + " = :at, " + """
                running_at = COALESCE(running_at, :startedAt),
                worker_id = COALESCE(:worker, worker_id), batch_id = COALESCE(:batch, batch_id),
                attempt = GREATEST(attempt, :attempt), steps = :steps,
                target_forwards = :targetForwards, drafter_forwards = :drafterForwards,
                drafted_tokens = :draftedTokens, accepted_tokens = :acceptedTokens,
                mean_accepted_length = :meanAccepted, accepted_histogram = :histogram,
                queue_ms = :queueMs, batch_wait_ms = :batchWaitMs, decode_ms = :decodeMs,
                encode_ms = :encodeMs, end_to_end_ms = :endToEndMs, image_png = :png,
                error_code = :errorCode, error_message = :errorMessage, updated_at = :at
            WHERE id = :id AND state IN """ + ACTIVE)
        .param("id", f.id())
        .param("state", f.state().name())
        .param("at", ts(f.at()))
        .param("startedAt", ts(f.startedAt()))
        .param("worker", f.workerId())
        .param("batch", f.batchId())
        .param("attempt", f.attempt())
        .param("steps", m == null ? null : m.steps())
        .param("targetForwards", m == null ? null : m.targetForwards())
        .param("drafterForwards", m == null ? null : m.drafterForwards())
        .param("draftedTokens", m == null ? null : m.draftedTokens())
        .param("acceptedTokens", m == null ? null : m.acceptedTokens())
        .param("meanAccepted", m == null ? null : m.meanAcceptedLength())
        .param("histogram", m == null ? null : m.acceptedHistogram())
        .param("queueMs", l.queueMs())
        .param("batchWaitMs", l.batchWaitMs())
        .param("decodeMs", l.decodeMs())
        .param("encodeMs", l.encodeMs())
        .param("endToEndMs", l.endToEndMs())
        .param("png", f.png())
        .param("errorCode", f.errorCode())
        .param("errorMessage", f.errorMessage())
        .update() == 1;
  }

  private static GenerationRow row(ResultSet rs) throws SQLException {
    Integer steps = rs.getObject("steps", Integer.class);
    GenerationView.Metrics metrics = steps == null ? null : new GenerationView.Metrics(steps,
        rs.getInt("target_forwards"), rs.getInt("drafter_forwards"), rs.getInt("drafted_tokens"),
        rs.getInt("accepted_tokens"), rs.getDouble("mean_accepted_length"),
        ints(rs.getArray("accepted_histogram")));
    GenerationView.Timestamps timestamps = new GenerationView.Timestamps(
        instant(rs, "queued_at"), instant(rs, "dispatched_at"), instant(rs, "running_at"),
        instant(rs, "retrying_at"), instant(rs, "succeeded_at"), instant(rs, "failed_at"),
        instant(rs, "cancelled_at"), instant(rs, "expired_at"));
    GenerationView.Latency latency = new GenerationView.Latency(
        rs.getObject("queue_ms", Long.class), rs.getObject("batch_wait_ms", Long.class),
        rs.getObject("decode_ms", Long.class), rs.getObject("encode_ms", Long.class),
        rs.getObject("end_to_end_ms", Long.class));
    return new GenerationRow(
        rs.getObject("id", UUID.class),
        rs.getObject("tenant_id", UUID.class),
        rs.getObject("api_key_id", UUID.class),
        rs.getString("model"),
        rs.getString("strategy"),
        rs.getInt("class_label"),
        rs.getLong("seed"),
        new SamplingParams(rs.getDouble("cfg_scale"), rs.getDouble("temperature"),
            rs.getInt("top_k"), rs.getDouble("top_p")),
        new StrategyParams(rs.getInt("draft_len"), rs.getInt("lantern_k"),
            rs.getDouble("lantern_delta"), rs.getString("lantern_rule"), rs.getInt("tree_top_k"),
            rs.getInt("tree_tokens"), rs.getDouble("draft_threshold"), rs.getString("tree_kind")),
        rs.getString("priority"),
        instant(rs, "deadline"),
        GenerationState.valueOf(rs.getString("state")),
        rs.getInt("attempt"),
        rs.getObject("batch_id", UUID.class),
        rs.getString("worker_id"),
        timestamps,
        metrics,
        latency,
        rs.getString("error_code"),
        rs.getString("error_message"),
        rs.getBoolean("has_image"));
  }

  private static int[] ints(Array array) throws SQLException {
    if (array == null) {
      return new int[0];
    }
    Integer[] boxed = (Integer[]) array.getArray();
    int[] out = new int[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      out[i] = boxed[i] == null ? 0 : boxed[i];
    }
    return out;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
