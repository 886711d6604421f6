package dev.tessera.gateway.recorder;

import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Json;
import dev.tessera.contract.Topics;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The dead letters of failed requests, and the admin's view of every dead letter. */
@Repository
class DeadLetterRepository {

  private static final String COLUMNS = """
      id, kind, request_id, tenant_id, model, strategy, attempts, error_code, error, payload, topic,
      partition_no, offset_no, message_key, created_at, replayed_at""";

  private final JdbcClient jdbc;

  DeadLetterRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Keeps a request that ended FAILED, with the request as JSON; returns the dead letter's id. */
  long insertRequest(GenerationRequest request, int attempts, Failure error, Instant at) {
    return jdbc.sql("""
            INSERT INTO dead_letters (kind, request_id, tenant_id, model, strategy, topic,
                message_key, payload, attempts, error_code, error, created_at)
            VALUES ('request', :request, :tenant, :model, :strategy, :topic, :key, :payload,
                :attempts, :errorCode, :error, :at)
            RETURNING id""")
        .param("request", UUID.fromString(request.id()))
        .param("tenant", UUID.fromString(request.tenantId()))
        .param("model", request.model())
        .param("strategy", request.strategy().apiName())
        .param("topic", Topics.REQUESTS)
        .param("key", request.model())
        .param("payload", Json.toBytes(request))
        .param("attempts", attempts)
        .param("errorCode", error.code())
        .param("error", error.message())
        .param("at", Timestamp.from(at))
        .query(Long.class).single();
  }

  /** The newest dead letters first, of one tenant or (null) of all. */
  List<DeadLetterRow> list(UUID tenantId, int limit) {
    String where = tenantId == null ? "" : " WHERE tenant_id = :tenant";
    var sql = jdbc.sql("SELECT " + COLUMNS + " FROM dead_letters" + where
        + " ORDER BY created_at DESC, id DESC LIMIT :limit").param("limit", limit);
    if (tenantId != null) {
      sql = sql.param("tenant", tenantId);
    }
    return sql.query((rs, n) -> row(rs)).list();
  }

  /** The dead letter, locked until the end of the current transaction. */
  Optional<DeadLetterRow> findForUpdate(long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM dead_letters WHERE id = :id FOR UPDATE")
        .param("id", id).query((rs, n) -> row(rs)).optional();
  }

  /** Marks it replayed; false if it was already. */
  boolean markReplayed(long id, Instant at) {
    return jdbc.sql("""
            UPDATE dead_letters SET replayed_at = :at WHERE id = :id AND replayed_at IS NULL""")
        .param("id", id).param("at", Timestamp.from(at)).update() == 1;
  }

  private static DeadLetterRow row(ResultSet rs) throws SQLException {
    return new DeadLetterRow(
        rs.getLong("id"),
        rs.getString("kind"),
        rs.getObject("request_id", UUID.class),
        rs.getObject("tenant_id", UUID.class),
        rs.getString("model"),
        rs.getString("strategy"),
        rs.getInt("attempts"),
        rs.getString("error_code"),
        rs.getString("error"),
        rs.getBytes("payload"),
        rs.getString("topic"),
        rs.getObject("partition_no", Integer.class),
        rs.getObject("offset_no", Long.class),
        rs.getString("message_key"),
        instant(rs, "created_at"),
        instant(rs, "replayed_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
