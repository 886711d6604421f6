package dev.tessera.gateway.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tenants and API keys in PostgreSQL. */
@Repository
public class ApiKeyRepository {

  /** A stored key: the row found by its public prefix. */
  record StoredKey(UUID id, UUID tenantId, byte[] secretSha256, boolean usable) {}

  private final JdbcClient jdbc;

  ApiKeyRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<StoredKey> findByPrefix(String prefix) {
    return jdbc.sql("""
            SELECT k.id, k.tenant_id, k.secret_sha256,
                   (k.revoked_at IS NULL AND t.disabled_at IS NULL) AS usable
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
            WHERE k.prefix = :prefix""")
        .param("prefix", prefix)
        .query((rs, n) -> new StoredKey(rs.getObject("id", UUID.class),
            rs.getObject("tenant_id", UUID.class), rs.getBytes("secret_sha256"),
            rs.getBoolean("usable")))
        .optional();
  }

  Optional<UUID> findTenantByName(String name) {
    return jdbc.sql("SELECT id FROM tenants WHERE name = :name").param("name", name)
        .query(UUID.class).optional();
  }

  void insertTenant(UUID id, String name, double weight, Instant now) {
    jdbc.sql("""
            INSERT INTO tenants (id, name, weight, created_at) VALUES (:id, :name, :weight, :now)
            ON CONFLICT (name) DO NOTHING""")
        .param("id", id).param("name", name).param("weight", weight)
        .param("now", Timestamp.from(now)).update();
  }

  void insertKey(UUID id, UUID tenantId, String prefix, byte[] sha256, String name, Instant now) {
    jdbc.sql("""
            INSERT INTO api_keys (id, tenant_id, prefix, secret_sha256, name, created_at)
            VALUES (:id, :tenant, :prefix, :hash, :name, :now)""")
        .param("id", id).param("tenant", tenantId).param("prefix", prefix).param("hash", sha256)
        .param("name", name).param("now", Timestamp.from(now)).update();
  }

  List<UUID> keysOf(UUID tenantId) {
    return jdbc.sql("SELECT id FROM api_keys WHERE tenant_id = :t AND revoked_at IS NULL")
        .param("t", tenantId).query(UUID.class).list();
  }
}
