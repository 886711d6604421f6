package dev.tessera.gateway.limits;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the limits read from PostgreSQL: a tenant's limits, and the facts to rebuild counters. */
@Repository
class LimitRepository {

  private final JdbcClient jdbc;

  LimitRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<TenantLimits> limits(UUID tenantId) {
    return jdbc.sql("SELECT rate_per_s, max_in_flight, monthly_images FROM tenants WHERE id = :t")
        .param("t", tenantId)
        .query((rs, n) -> new TenantLimits(rs.getObject("rate_per_s", Double.class),
            rs.getObject("max_in_flight", Integer.class), rs.getObject("monthly_images", Long.class)))
        .optional();
  }

  /**
   * Images that count against the month's quota: billable images recorded since the month began,
   * plus requests accepted this month and not finished yet (one image each).
   */
  long imagesCountedSince(UUID tenantId, Instant monthStart) {
    return jdbc.sql("""
            SELECT (SELECT COALESCE(SUM(images), 0) FROM usage_events
                    WHERE tenant_id = :t AND billable AND occurred_at >= :since)
                 + (SELECT count(*) FROM generations
                    WHERE tenant_id = :t AND queued_at >= :since
                      AND state IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'RETRYING'))""")
        .param("t", tenantId).param("since", Timestamp.from(monthStart))
        .query(Long.class).single();
  }

  /** Of these generation ids, the ones whose rows are terminal. */
  List<String> terminalAmong(Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("""
            SELECT id::text FROM generations WHERE id::text IN (:ids)
              AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED')""")
        .param("ids", ids).query(String.class).list();
  }
}
