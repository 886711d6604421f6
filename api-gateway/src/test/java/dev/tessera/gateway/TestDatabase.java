package dev.tessera.gateway;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One embedded PostgreSQL (zonky, the version the project pins) for the gateway's tests in a JVM,
 * with the gateway's Flyway migrations applied. Tests share it and keep apart by using a tenant of
 * their own ({@link #newTenant}).
 */
public final class TestDatabase {

  /** A tenant and one API key of it. */
  public record TestTenant(UUID id, UUID keyId) {}

  private static EmbeddedPostgres postgres;
  private static DataSource dataSource;

  private TestDatabase() {}

  /** The database, started and migrated on first use. */
  public static synchronized DataSource dataSource() {
    if (dataSource == null) {
      try {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      dataSource = postgres.getPostgresDatabase();
      Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load()
          .migrate();
    }
    return dataSource;
  }

  public static JdbcClient jdbc() {
    return JdbcClient.create(dataSource());
  }

  public static TransactionTemplate tx() {
    return new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
  }

  /** A new tenant without limits, with one API key. */
  public static TestTenant newTenant() {
    return newTenant(null, null, null);
  }

  /** A new tenant with these limits (null: none), with one API key. */
  public static TestTenant newTenant(Double ratePerS, Integer maxInFlight, Long monthlyImages) {
    UUID tenant = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc().sql("""
            INSERT INTO tenants (id, name, rate_per_s, max_in_flight, monthly_images, created_at)
            VALUES (:id, :name, :rate, :inFlight, :monthly, :now)""")
        .param("id", tenant).param("name", "tenant-" + tenant).param("rate", ratePerS)
        .param("inFlight", maxInFlight).param("monthly", monthlyImages).param("now", now)
        .update();
    jdbc().sql("""
            INSERT INTO api_keys (id, tenant_id, prefix, secret_sha256, created_at)
            VALUES (:id, :tenant, :prefix, :sha, :now)""")
        .param("id", key).param("tenant", tenant).param("prefix", key.toString().substring(0, 12))
        .param("sha", new byte[32]).param("now", now)
        .update();
    return new TestTenant(tenant, key);
  }
}
