package dev.tessera.gateway.webhook;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The webhook tables: endpoints, the tenants' secrets, requests' webhooks, the outbox. */
@Repository
public class WebhookRepository {

  /** A registered endpoint. */
  public record Endpoint(UUID id, UUID tenantId, String url, List<String> events, String secret,
      String description, Instant createdAt, Instant disabledAt) {}

  /** A target of a message: a registered endpoint (id set) or a request's own URL. */
  record Target(UUID endpointId, String url, List<String> events) {}

  /** A delivery claimed for one attempt, with the secret that signs it. */
  record Claimed(String id, UUID endpointId, String url, String payload, int attempts,
      String secret) {}

  /** A delivery as the API shows it. */
  public record Delivery(String id, UUID endpointId, String url, String eventType, String status,
      int attempts, Instant nextAttemptAt, Integer lastStatusCode, String lastError,
      Long lastLatencyMs, Instant createdAt, Instant finishedAt, List<Attempt> attemptLog) {}

  /** One attempt. */
  public record Attempt(int attempt, Instant attemptedAt, Integer statusCode, long latencyMs,
      String error) {}

  private final JdbcClient jdbc;

  WebhookRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a request's webhook (in the transaction that stores the request). */
  void attach(UUID generationId, WebhookRequest webhook) {
    jdbc.sql("INSERT INTO generation_webhooks (generation_id, url, events) VALUES (:id, :url, "
            + ":events)")
        .param("id", generationId).param("url", webhook.url())
        .param("events", webhook.events().toArray(String[]::new)).update();
  }

  /** Where a message about this generation of this tenant goes: its own URL and the endpoints. */
  List<Target> targets(UUID generationId, UUID tenantId) {
    return jdbc.sql("""
            SELECT NULL::uuid AS endpoint_id, url, events FROM generation_webhooks
            WHERE generation_id = :generation
            UNION ALL
            SELECT id, url, events FROM webhook_endpoints
            WHERE tenant_id = :tenant AND disabled_at IS NULL""")
        .param("generation", generationId).param("tenant", tenantId)
        .query((rs, n) -> new Target(rs.getObject("endpoint_id", UUID.class),
            rs.getString("url"), strings(rs.getArray("events"))))
        .list();
  }

  /** Puts a message in the outbox, due now. */
  void enqueue(String id, UUID tenantId, UUID generationId, Target target, String eventType,
      String payload, Instant now) {
    jdbc.sql("""
            INSERT INTO webhook_deliveries (id, tenant_id, generation_id, endpoint_id, url,
                event_type, payload, status, attempts, next_attempt_at, created_at)
            VALUES (:id, :tenant, :generation, :endpoint, :url, :type, :payload, 'pending', 0,
                :now, :now)
            ON CONFLICT (id) DO NOTHING""")
        .param("id", id).param("tenant", tenantId).param("generation", generationId)
        .param("endpoint", target.endpointId(), Types.OTHER).param("url", target.url())
        .param("type", eventType).param("payload", payload).param("now", Timestamp.from(now))
        .update();
  }

  /**
   * Claims up to {@code n} due deliveries for one attempt each: they are moved {@code leaseUntil}
   * ahead, so that no other gateway takes them meanwhile, and rows another gateway is claiming
   * at this moment are skipped, not waited for.
   */
  List<Claimed> claim(Instant now, Instant leaseUntil, int n) {
    return jdbc.sql("""
            UPDATE webhook_deliveries d SET next_attempt_at = :lease
            FROM (SELECT id FROM webhook_deliveries
                  WHERE status = 'pending' AND next_attempt_at <= :now
                  ORDER BY next_attempt_at LIMIT :n FOR UPDATE SKIP LOCKED) due
            WHERE d.id = due.id
            RETURNING d.id, d.endpoint_id, d.url, d.payload, d.attempts,
                COALESCE((SELECT secret FROM webhook_endpoints e WHERE e.id = d.endpoint_id),
                         (SELECT secret FROM webhook_secrets s WHERE s.tenant_id = d.tenant_id))
                    AS secret""")
        .param("now", Timestamp.from(now)).param("lease", Timestamp.from(leaseUntil))
        .param("n", n)
        .query((rs, i) -> new Claimed(rs.getString("id"), rs.getObject("endpoint_id", UUID.class),
            rs.getString("url"), rs.getString("payload"), rs.getInt("attempts"),
            rs.getString("secret")))
        .list();
  }

  /**
   * Records attempt {@code attempt} of a delivery: the row's new status and due time ({@code
   * next} null when it is finished), and the attempt's log entry.
   */
  void record(String id, int attempt, Instant at, Integer statusCode, long latencyMs,
      String error, String status, Instant next) {
    jdbc.sql("""
            UPDATE webhook_deliveries SET attempts = :attempt, status = :status,
                next_attempt_at = :next, last_status_code = :code, last_error = :error,
                last_latency_ms = :latency, finished_at = :finishedAt
            WHERE id = :id AND attempts = :previous""")
        .param("id", id).param("attempt", attempt).param("previous", attempt - 1)
        .param("status", status)
        .param("next", next == null ? null : Timestamp.from(next), Types.TIMESTAMP)
        .param("code", statusCode, Types.INTEGER).param("error", error, Types.VARCHAR)
        .param("latency", latencyMs)
        .param("finishedAt", status.equals("pending") ? null : Timestamp.from(at),
            Types.TIMESTAMP)
        .update();
    jdbc.sql("""
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code,
                latency_ms, error)
            VALUES (:id, :attempt, :at, :code, :latency, :error)
            ON CONFLICT (delivery_id, attempt) DO NOTHING""")
        .param("id", id).param("attempt", attempt).param("at", Timestamp.from(at))
        .param("code", statusCode, Types.INTEGER).param("latency", latencyMs)
        .param("error", error, Types.VARCHAR).update();
  }

  /** The deliveries about a generation, oldest first, each with its attempts. */
  public List<Delivery> deliveries(UUID generationId) {
    return jdbc.sql("""
            SELECT * FROM webhook_deliveries WHERE generation_id = :id
            ORDER BY created_at, id""")
        .param("id", generationId)
        .query((rs, n) -> new Delivery(rs.getString("id"),
            rs.getObject("endpoint_id", UUID.class), rs.getString("url"),
            rs.getString("event_type"), rs.getString("status"), rs.getInt("attempts"),
            instant(rs, "next_attempt_at"), rs.getObject("last_status_code", Integer.class),
            rs.getString("last_error"), rs.getObject("last_latency_ms", Long.class),
            instant(rs, "created_at"), instant(rs, "finished_at"),
            attempts(rs.getString("id"))))
        .list();
  }

  private List<Attempt> attempts(String deliveryId) {
    return jdbc.sql("""
            SELECT attempt, attempted_at, status_code, latency_ms, error FROM webhook_attempts
            WHERE delivery_id = :id ORDER BY attempt""")
        .param("id", deliveryId)
        .query((rs, n) -> new Attempt(rs.getInt("attempt"), instant(rs, "attempted_at"),
            rs.getObject("status_code", Integer.class), rs.getLong("latency_ms"),
            rs.getString("error")))
        .list();
  }

  /** The tenant's secret for deliveries to requests' own URLs, made on first use. */
  public String tenantSecret(UUID tenantId, Instant now) {
    jdbc.sql("""
            INSERT INTO webhook_secrets (tenant_id, secret, created_at) VALUES (:t, :s, :now)
            ON CONFLICT (tenant_id) DO NOTHING""")
        .param("t", tenantId).param("s", Signatures.newSecret()).param("now", Timestamp.from(now))
        .update();
    return jdbc.sql("SELECT secret FROM webhook_secrets WHERE tenant_id = :t").param("t", tenantId)
        .query(String.class).single();
  }

  /** Registers an endpoint. */
  Endpoint addEndpoint(UUID tenantId, WebhookRequest webhook, String description, Instant now) {
    Endpoint e = new Endpoint(UUID.randomUUID(), tenantId, webhook.url(), webhook.events(),
        Signatures.newSecret(), description, now, null);
    jdbc.sql("""
            INSERT INTO webhook_endpoints (id, tenant_id, url, events, secret, description,
                created_at)
            VALUES (:id, :tenant, :url, :events, :secret, :description, :now)""")
        .param("id", e.id()).param("tenant", tenantId).param("url", e.url())
        .param("events", e.events().toArray(String[]::new)).param("secret", e.secret())
        .param("description", description).param("now", Timestamp.from(now)).update();
    return e;
  }

  /** A tenant's endpoints, disabled ones included, oldest first. */
  List<Endpoint> endpoints(UUID tenantId) {
    return jdbc.sql("SELECT * FROM webhook_endpoints WHERE tenant_id = :t ORDER BY created_at, id")
        .param("t", tenantId).query((rs, n) -> endpoint(rs)).list();
  }

  /** Disables an endpoint (410 from it, or the admin); false if there is no such enabled one. */
  boolean disable(UUID endpointId, Instant now) {
    return jdbc.sql("""
            UPDATE webhook_endpoints SET disabled_at = :now
            WHERE id = :id AND disabled_at IS NULL""")
        .param("id", endpointId).param("now", Timestamp.from(now)).update() == 1;
  }

  Optional<Endpoint> endpoint(UUID endpointId) {
    return jdbc.sql("SELECT * FROM webhook_endpoints WHERE id = :id").param("id", endpointId)
        .query((rs, n) -> endpoint(rs)).optional();
  }

  private static Endpoint endpoint(ResultSet rs) throws SQLException {
    return new Endpoint(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
        rs.getString("url"), strings(rs.getArray("events")), rs.getString("secret"),
        rs.getString("description"), instant(rs, "created_at"), instant(rs, "disabled_at"));
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
