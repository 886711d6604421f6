package dev.tessera.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.StrategyParams;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The scheduler rebuilds a request from its row (a retry, the sweep, a new scheduler's recovery):
 * every strategy parameter comes back as the gateway stored it, on a real PostgreSQL with the
 * gateway's migrations. Before V7 the LANTERN rule and the tree were lost on the way.
 */
class PendingRepositoryTest {

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration")
        .load().migrate();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void aRebuiltRequestKeepsItsRuleTreeAndThreshold() {
    StrategyParams asked = new StrategyParams(6, 12, 3.0, StrategyParams.PAPER, 2, 12, 0.25,
        StrategyParams.STATIC);
    UUID id = insertQueued(asked);

    List<GenerationRequest> queued = new PendingRepository(jdbc).findQueued(
        Instant.now().plusSeconds(1), 10);

    assertThat(queued).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo(id.toString());
      assertThat(r.strategyParams()).isEqualTo(asked);
    });
  }

  /** The gateway's INSERT of an accepted request, with the columns V7 added. */
  private static UUID insertQueued(StrategyParams p) {
    UUID id = UUID.randomUUID();
    UUID tenant = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    jdbc.sql("INSERT INTO tenants (id, name, created_at) VALUES (:id, :name, now())")
        .param("id", tenant).param("name", "t-" + tenant).update();
    jdbc.sql("""
            INSERT INTO api_keys (id, tenant_id, prefix, secret_sha256, created_at)
            VALUES (:id, :t, :p, sha256('secret'::bytea), now())""")
        .param("id", key).param("t", tenant).param("p", "p" + key).update();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(5);
    jdbc.sql("""
            INSERT INTO generations (id, tenant_id, api_key_id, model, strategy, class_label, seed,
                cfg_scale, temperature, top_k, top_p, draft_len, lantern_k, lantern_delta,
                lantern_rule, tree_top_k, tree_tokens, draft_threshold, tree_kind, priority, state,
                attempt, queued_at, updated_at)
            VALUES (:id, :tenant, :key, 'fm-ar', 'lantern', 3, 7, 2.0, 1.0, 0, 1.0, :draftLen,
                :lanternK, :delta, :rule, :topK, :tokens, :threshold, :kind, 'normal', 'QUEUED', 0,
                :at, :at)""")
        .param("id", id).param("tenant", tenant).param("key", key)
        .param("draftLen", p.draftLen()).param("lanternK", p.lanternK())
        .param("delta", p.lanternDelta()).param("rule", p.lanternRule())
        .param("topK", p.treeTopK()).param("tokens", p.treeTokens())
        .param("threshold", p.draftThreshold()).param("kind", p.treeKind())
        .param("at", java.sql.Timestamp.from(at)).update();
    return id;
  }
}
