package dev.tessera.scheduler.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.tessera.infra.EmbeddedStack;
import dev.tessera.scheduler.SchedulerProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatch lease against a real PostgreSQL (a database of its own on the shared embedded
 * server): one holder at a time, a takeover only after expiry and with a newer fencing token, a
 * deposed holder's claim refused, and a takeover that waits for a claim in flight.
 */
class DispatchLeaseTest {

  private static final String DATABASE = "lease_test";
  private static DriverManagerDataSource dataSource;

  @BeforeAll
  static void database() throws Exception {
    String url = EmbeddedStack.servers().jdbcUrl();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DATABASE);
      s.execute("CREATE DATABASE " + DATABASE);
    }
    dataSource = new DriverManagerDataSource(url.substring(0, url.lastIndexOf('/') + 1) + DATABASE,
        "postgres", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load()
        .migrate();
  }

  private static DispatchLease lease(String id, Duration ttl) {
    SchedulerProperties properties = new SchedulerProperties(8, Duration.ofMillis(5),
        Duration.ofSeconds(8), Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(1),
        Duration.ofSeconds(30), 256, Map.of(), Map.of(), id, ttl, Duration.ofMillis(300));
    return new DispatchLease(JdbcClient.create(dataSource),
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)), properties,
        new SchedulerInstance(id));
  }

  private static boolean verifyInTransaction(DispatchLease lease, long token) {
    return new TransactionTemplate(new DataSourceTransactionManager(dataSource))
        .execute(s -> lease.verify(token));
  }

  private static void expire() {
    JdbcClient.create(dataSource).sql(
        "UPDATE scheduler_leases SET expires_at = now() - interval '1 second'").update();
  }

  @Test
  void oneHolderAtATimeATakeoverGetsANewerTokenAndTheDeposedHoldersClaimIsRefused() {
    DispatchLease a = lease("a-" + System.nanoTime(), Duration.ofSeconds(30));
    DispatchLease b = lease("b-" + System.nanoTime(), Duration.ofSeconds(30));
    expire();
    long first = a.renew().orElseThrow();
    assertThat(b.renew()).as("b while a holds an unexpired lease").isEmpty();
    assertThat(a.renew()).as("a renews and keeps its token").hasValue(first);
    assertThat(verifyInTransaction(a, first)).as("a's claim while it holds the lease").isTrue();

    expire(); // a was paused past its lease
    long second = b.renew().orElseThrow();
    assertThat(second).as("the takeover's token").isGreaterThan(first);
    assertThat(verifyInTransaction(a, first)).as("the deposed holder's claim").isFalse();
    assertThat(verifyInTransaction(b, first)).as("an old token, even from the holder").isFalse();
    assertThat(verifyInTransaction(b, second)).as("the new holder's claim").isTrue();
    assertThat(a.renew()).as("a cannot take it back while b holds it").isEmpty();
    assertThat(a.isLeader()).as("a knows it is not the leader").isFalse();
    b.release();
    assertThat(a.renew().orElseThrow()).as("after b released it, a takes it with a newer token")
        .isGreaterThan(second);
  }

  @Test
  void aTakeoverWaitsUntilTheClaimInFlightCommits() throws Exception {
    DispatchLease a = lease("a-" + System.nanoTime(), Duration.ofMillis(1500));
    DispatchLease b = lease("b-" + System.nanoTime(), Duration.ofSeconds(3));
    expire();
    long token = a.renew().orElseThrow();
    var manager = new DataSourceTransactionManager(dataSource);
    TransactionStatus claim = manager.getTransaction(new DefaultTransactionDefinition());
    assertThat(a.verify(token)).as("a's claim starts while it holds the lease").isTrue();
    // b runs on other threads: on this one it would join the claim's transaction
    await("a's lease runs out while its claim is in flight").atMost(Duration.ofSeconds(10))
        .until(() -> CompletableFuture.supplyAsync(() -> JdbcClient.create(dataSource)
            .sql("SELECT expires_at <= now() FROM scheduler_leases").query(Boolean.class).single())
            .get());

    Throwable blocked = CompletableFuture.supplyAsync(() -> catchThrowable(b::renew)).get();
    assertThat(blocked).as("b's takeover waits for the share lock (and times out)").isNotNull();
    CompletableFuture<OptionalLong> takeover = CompletableFuture.supplyAsync(() -> {
      while (true) {
        try {
          return b.renew();
        } catch (RuntimeException lockTimeout) {
          // the claim still holds the lock
        }
      }
    });
    manager.commit(claim);
    assertThat(takeover.get(30, TimeUnit.SECONDS).orElseThrow())
        .as("b takes over once the claim committed").isGreaterThan(token);
  }
}
