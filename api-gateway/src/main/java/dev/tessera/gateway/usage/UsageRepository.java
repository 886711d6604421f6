package dev.tessera.gateway.usage;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sums over the usage ledger, per time bucket and group. */
@Repository
class UsageRepository {

  /** Group key → column (a fixed list: never user text in SQL). */
  private static final Map<String, String> COLUMNS = Map.of(
      "model", "model", "strategy", "strategy", "api_key", "api_key_id::text");

  /** One row of sums: a bucket index and the group's values (null when not grouped by). */
  record Sums(int bucket, String model, String strategy, String apiKeyId, long images,
      long requests, long billableRequests, long tokens, long targetForwards,
      long drafterForwards, long decodeMs) {}

  private final JdbcClient jdbc;

  UsageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<Sums> sums(UUID tenantId, UsageQuery q) {
    StringBuilder select = new StringBuilder(
        "SELECT floor((extract(epoch FROM occurred_at) - extract(epoch FROM CAST(:start AS timestamptz)))"
        + " / :width)::int AS bucket");
    StringBuilder group = new StringBuilder(" GROUP BY 1");
    for (String key : List.of("model", "strategy", "api_key")) {
      if (q.groupBy().contains(key)) {
        select.append(", ").append(COLUMNS.get(key)).append(" AS ").append(key);
        group.append(", ").append(key);
      } else {
        select.append(", NULL::text AS ").append(key);
      }
    }
    String sql = select + """
        , COALESCE(sum(images) FILTER (WHERE billable), 0) AS images,
          count(*) AS requests, count(*) FILTER (WHERE billable) AS billable_requests,
          COALESCE(sum(tokens), 0) AS tokens, COALESCE(sum(target_forwards), 0) AS target_forwards,
          COALESCE(sum(drafter_forwards), 0) AS drafter_forwards,
          COALESCE(sum(decode_ms), 0) AS decode_ms
        FROM usage_events
        WHERE tenant_id = :tenant AND occurred_at >= :start AND occurred_at < :end""" + group
        + " ORDER BY 1, 2, 3, 4";
    return jdbc.sql(sql)
        .param("tenant", tenantId)
        .param("start", Timestamp.from(q.start()))
        .param("end", Timestamp.from(q.end()))
        .param("width", (double) q.bucket().toSeconds())
        .query((rs, n) -> new Sums(rs.getInt("bucket"), rs.getString("model"),
            rs.getString("strategy"), rs.getString("api_key"), rs.getLong("images"),
            rs.getLong("requests"), rs.getLong("billable_requests"), rs.getLong("tokens"),
            rs.getLong("target_forwards"), rs.getLong("drafter_forwards"), rs.getLong("decode_ms")))
        .list();
  }

  boolean tenantExists(UUID tenantId) {
    return jdbc.sql("SELECT count(*) FROM tenants WHERE id = :t").param("t", tenantId)
        .query(Integer.class).single() == 1;
  }
}
