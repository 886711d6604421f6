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

  /** Inserts a tenant with its limits; false if the name is taken. */
  boolean insertTenant(Tenant t) {
    return jdbc.sql("""
            INSERT INTO tenants (id, name, weight, rate_per_s, max_in_flight, monthly_images,
                created_at)
            VALUES (:id, :name, :weight, :rate, :inFlight, :monthly, :now)
            ON CONFLICT (name) DO NOTHING""")
        .param("id", t.id()).param("name", t.name()).param("weight", t.weight())
        .param("rate", t.ratePerS()).param("inFlight", t.maxInFlight())
        .param("monthly", t.monthlyImages()).param("now", Timestamp.from(t.createdAt())).update() == 1;
  }

  Optional<Tenant> findTenant(UUID id) {
    return jdbc.sql("""
            SELECT id, name, weight, rate_per_s, max_in_flight, monthly_images, created_at
            FROM tenants WHERE id = :id AND disabled_at IS NULL""")
        .param("id", id)
        .query((rs, n) -> new Tenant(rs.getObject("id", UUID.class), rs.getString("name"),
            rs.getDouble("weight"), rs.getObject("rate_per_s", Double.class),
            rs.getObject("max_in_flight", Integer.class), rs.getObject("monthly_images", Long.class),
            rs.getTimestamp("created_at").toInstant()))
        .optional();
  }

  /** Every key of a tenant, revoked ones included, newest first. */
  List<KeyInfo> listKeys(UUID tenantId) {
    return jdbc.sql("""
            SELECT id, tenant_id, prefix, name, created_at, revoked_at FROM api_keys
            WHERE tenant_id = :t ORDER BY created_at DESC, id""")
        .param("t", tenantId)
        .query((rs, n) -> new KeyInfo(rs.getObject("id", UUID.class),
            rs.getObject("tenant_id", UUID.class), rs.getString("prefix"), rs.getString("name"),
            rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("revoked_at") == null ? null : rs.getTimestamp("revoked_at").toInstant()))
        .list();
  }

  /** Revokes a key; false if there is no such key. Revoking twice keeps the first time. */
  boolean revokeKey(UUID keyId, Instant now) {
    return jdbc.sql("""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id""")
        .param("id", keyId).param("now", Timestamp.from(now)).update() == 1;
  }

  List<UUID> keysOf(UUID tenantId) {
    return jdbc.sql("SELECT id FROM api_keys WHERE tenant_id = :t AND revoked_at IS NULL")
        .param("t", tenantId).query(UUID.class).list();
  }
}
