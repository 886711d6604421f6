package dev.tessera.scheduler.dispatch;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tenants' fairness weights ({@code tenants.weight}), read from PostgreSQL on start and at every
 * sweep. A tenant not (yet) known weighs 1.0; a failed read keeps the last weights.
 */
@Repository
class TenantWeights {

  private static final Logger log = LoggerFactory.getLogger(TenantWeights.class);

  private final JdbcClient jdbc;
  private volatile Map<String, Double> weights = Map.of();

  TenantWeights(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The weight of a tenant. */
  double weight(String tenantId) {
    return weights.getOrDefault(tenantId, 1.0);
  }

  /** Re-reads every tenant's weight. */
  void refresh() {
    try {
      weights = jdbc.sql("SELECT id, weight FROM tenants")
          .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class).toString(),
              rs.getDouble("weight")))
          .list().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
              Map.Entry::getValue));
    } catch (RuntimeException e) {
      log.warn("could not read tenant weights, keeping the last ones: {}", e.toString());
    }
  }
}
