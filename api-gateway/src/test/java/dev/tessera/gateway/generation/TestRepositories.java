package dev.tessera.gateway.generation;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Priority;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.TestDatabase;
import dev.tessera.gateway.TestDatabase.TestTenant;
import dev.tessera.contract.SamplingParams;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The generation repository on the test database, and rows in it, for tests of other packages. */
public final class TestRepositories {

  private TestRepositories() {}

  public static GenerationRepository generations() {
    return new GenerationRepository(TestDatabase.jdbc());
  }

  /** A request of the tenant's key: fm-ar, class 3, AR, normal priority, accepted at {@code at}. */
  public static GenerationRequest request(TestTenant tenant, Instant at) {
    return new GenerationRequest(UUID.randomUUID().toString(), tenant.id().toString(),
        tenant.keyId().toString(), "fm-ar", 3, Strategy.AR, 7L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 0, at);
  }

  /** Stores a QUEUED request; returns its id. */
  public static UUID queued(TestTenant tenant, Instant at) {
    GenerationRequest r = request(tenant, at);
    generations().insertQueued(r);
    return UUID.fromString(r.id());
  }

  /** What the scheduler's claim does: the row DISPATCHED to a worker, at {@code attempt}. */
  public static void dispatch(UUID id, int attempt, String workerId, Instant at) {
    JdbcClient jdbc = TestDatabase.jdbc();
    jdbc.sql("""
            UPDATE generations SET state = 'DISPATCHED', attempt = :attempt, worker_id = :worker,
                batch_id = :batch, dispatched_at = :at, updated_at = :at WHERE id = :id""")
        .param("attempt", attempt).param("worker", workerId).param("batch", UUID.randomUUID())
        .param("at", GenerationRepository.ts(at)).param("id", id).update();
  }

  /** The row's state now. */
  public static GenerationState state(UUID id) {
    return generations().find(id).orElseThrow().state();
  }
}
