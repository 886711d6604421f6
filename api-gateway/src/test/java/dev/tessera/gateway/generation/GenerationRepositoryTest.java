package dev.tessera.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationState;
import dev.tessera.gateway.TestDatabase;
import dev.tessera.gateway.TestDatabase.TestTenant;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/** The generation rows in the embedded PostgreSQL, with the gateway's migrations. */
class GenerationRepositoryTest {

  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private static final GenerationView.Latency NO_LATENCY =
      new GenerationView.Latency(null, null, null, null, null);

  private final GenerationRepository repository = TestRepositories.generations();
  private final TestTenant tenant = TestDatabase.newTenant();

  @Test
  void aQueuedRowGivesBackTheRequestItWasMadeFrom() {
    GenerationRequest request = TestRepositories.request(tenant, T0);
    repository.insertQueued(request);

    GenerationRow row = repository.find(UUID.fromString(request.id())).orElseThrow();

    assertThat(row.state()).isEqualTo(GenerationState.QUEUED);
    assertThat(row.attempt()).isZero();
    assertThat(row.toRequest()).as("every field the scheduler rebuilds the request from")
        .isEqualTo(request);
    assertThat(row.hasImage()).isFalse();
  }

  @Test
  void everyStrategyParameterIsStoredAndReadBack() {
    GenerationRequest base = TestRepositories.request(tenant, T0);
    GenerationRequest request = new GenerationRequest(base.id(), base.tenantId(), base.apiKeyId(),
        base.model(), base.classLabel(), dev.tessera.contract.Strategy.LANTERN, base.seed(),
        base.sampling(), new dev.tessera.contract.StrategyParams(6, 12, 3.0, "paper", 2, 12, 0.25,
            "static"), base.priority(), null, 0, T0);
    repository.insertQueued(request);

    GenerationRow row = repository.find(UUID.fromString(request.id())).orElseThrow();

    assertThat(row.toRequest().strategyParams()).as("rule, tree and threshold kept")
        .isEqualTo(request.strategyParams());
  }

  @Test
  void anIdempotencyKeyNamesOneRequestPerTenant() {
    GenerationRequest first = TestRepositories.request(tenant, T0);
    repository.insertQueued(first, "key-1", "fp-1");
    TestTenant other = TestDatabase.newTenant();

    assertThatThrownBy(() -> repository.insertQueued(TestRepositories.request(tenant, T0),
        "key-1", "fp-2")).as("the same tenant cannot use a key twice")
        .isInstanceOf(DuplicateKeyException.class);
    repository.insertQueued(TestRepositories.request(other, T0), "key-1", "fp-3");

    var found = repository.findByIdempotencyKey(tenant.id(), "key-1").orElseThrow();
    assertThat(found.id()).isEqualTo(UUID.fromString(first.id()));
    assertThat(found.fingerprint()).isEqualTo("fp-1");
    assertThat(found.state()).isEqualTo(GenerationState.QUEUED);
    assertThat(repository.findByIdempotencyKey(tenant.id(), "key-2")).isEmpty();
    assertThat(repository.findByIdempotencyKey(other.id(), "key-1").orElseThrow().fingerprint())
        .as("another tenant's key is its own").isEqualTo("fp-3");
  }

  @Test
  void theItemsOfABatchAreFoundByTheirKeys() {
    GenerationRequest a = TestRepositories.request(tenant, T0);
    GenerationRequest b = TestRepositories.request(tenant, T0);
    repository.insertQueued(a, "batch", "fp");
    repository.insertQueued(b, "batch\u001f1", "fp");

    var items = repository.findByIdempotencyKeys(tenant.id(), List.of("batch", "batch\u001f1",
        "batch\u001f2"));

    assertThat(items).containsOnlyKeys("batch", "batch\u001f1");
    assertThat(items.get("batch\u001f1").id()).isEqualTo(UUID.fromString(b.id()));
  }

  @Test
  void aDispatchedRowMovesToRunningAndAnEndedOneDoesNot() {
    UUID id = TestRepositories.queued(tenant, T0);
    TestRepositories.dispatch(id, 1, "w1", T0.plusSeconds(1));
    UUID batch = UUID.randomUUID();

    boolean moved = repository.markRunning(id, T0.plusSeconds(2), "w1", batch, 1,
        T0.plusSeconds(2));
    GenerationRow running = repository.find(id).orElseThrow();
    repository.finish(finish(id, GenerationState.SUCCEEDED, T0.plusSeconds(3)));
    boolean movedAfterEnd = repository.markRunning(id, T0.plusSeconds(4), "w1", batch, 1,
        T0.plusSeconds(4));

    assertThat(moved).isTrue();
    assertThat(running.state()).isEqualTo(GenerationState.RUNNING);
    assertThat(running.timestamps().runningAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(running.batchId()).isEqualTo(batch);
    assertThat(movedAfterEnd).as("terminal states never change").isFalse();
    assertThat(TestRepositories.state(id)).isEqualTo(GenerationState.SUCCEEDED);
  }

  @Test
  void aLateRunningEventOfAFailedAttemptDoesNotMoveARetryingRow() {
    UUID id = TestRepositories.queued(tenant, T0);
    TestRepositories.dispatch(id, 1, "w1", T0);
    repository.markRetrying(id, 1, T0.plusSeconds(5), T0.plusSeconds(1), "oom", "out of memory");

    boolean moved = repository.markRunning(id, T0, "w1", UUID.randomUUID(), 1, T0.plusSeconds(2));

    assertThat(moved).isFalse();
    assertThat(TestRepositories.state(id)).isEqualTo(GenerationState.RETRYING);
  }

  @Test
  void onlyTheCurrentAttemptOfADispatchedRowCanBeRetried() {
    UUID queued = TestRepositories.queued(tenant, T0);
    UUID dispatched = TestRepositories.queued(tenant, T0);
    TestRepositories.dispatch(dispatched, 2, "w1", T0);

    boolean queuedMoved = repository.markRetrying(queued, 0, T0, T0, "x", "y");
    boolean staleMoved = repository.markRetrying(dispatched, 1, T0, T0, "x", "y");
    boolean currentMoved = repository.markRetrying(dispatched, 2, T0.plusSeconds(4), T0, "oom",
        "out of memory");

    assertThat(queuedMoved).as("never dispatched").isFalse();
    assertThat(staleMoved).as("an older attempt").isFalse();
    assertThat(currentMoved).isTrue();
    GenerationRow row = repository.find(dispatched).orElseThrow();
    assertThat(row.state()).isEqualTo(GenerationState.RETRYING);
    assertThat(row.errorCode()).isEqualTo("oom");
    assertThat(row.errorMessage()).isEqualTo("out of memory");
  }

  @Test
  void aTerminalOutcomeIsStoredOnceWithItsImage() {
    UUID id = TestRepositories.queued(tenant, T0);
    TestRepositories.dispatch(id, 1, "w1", T0);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    var metrics = new GenerationView.Metrics(256, 256, 0, 0, 0, 1.0, new int[] {1, 2});
    var latency = new GenerationView.Latency(10L, 20L, 300L, 4L, 334L);

    boolean first = repository.finish(new GenerationRepository.Finish(id,
        GenerationState.SUCCEEDED, T0.plusSeconds(1), T0, "w1", null, 1, metrics, latency, png,
        null, null));
    boolean second = repository.finish(finish(id, GenerationState.FAILED, T0.plusSeconds(2)));

    assertThat(first).isTrue();
    assertThat(second).as("a second outcome for the same id changes nothing").isFalse();
    GenerationRow row = repository.find(id).orElseThrow();
    assertThat(row.state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(row.timestamps().succeededAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(row.timestamps().failedAt()).isNull();
    assertThat(row.metrics().steps()).isEqualTo(256);
    assertThat(row.metrics().acceptedHistogram()).containsExactly(1, 2);
    assertThat(row.latency()).isEqualTo(latency);
    assertThat(row.hasImage()).isTrue();
    assertThat(repository.findImage(id)).hasValueSatisfying(b -> assertThat(b).isEqualTo(png));
  }

  @Test
  void aNonTerminalOutcomeIsRefused() {
    UUID id = TestRepositories.queued(tenant, T0);

    assertThatThrownBy(() -> repository.finish(finish(id, GenerationState.RUNNING, T0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TestRepositories.state(id)).isEqualTo(GenerationState.QUEUED);
  }

  @Test
  void aFailedRowIsReplayedAsANewLifeAndNothingElseIs() {
    UUID failed = TestRepositories.queued(tenant, T0);
    UUID succeeded = TestRepositories.queued(tenant, T0);
    TestRepositories.dispatch(failed, 3, "w1", T0);
    repository.finish(new GenerationRepository.Finish(failed, GenerationState.FAILED,
        T0.plusSeconds(1), null, "w1", null, 3, null, NO_LATENCY, null, "oom", "out of memory"));
    repository.finish(finish(succeeded, GenerationState.SUCCEEDED, T0.plusSeconds(1)));
    Instant replayAt = T0.plusSeconds(60);

    boolean replayed = repository.requeueFailed(failed, replayAt, null);
    boolean notFailed = repository.requeueFailed(succeeded, replayAt, null);

    assertThat(replayed).isTrue();
    assertThat(notFailed).isFalse();
    GenerationRow row = repository.find(failed).orElseThrow();
    assertThat(row.state()).isEqualTo(GenerationState.QUEUED);
    assertThat(row.attempt()).isZero();
    assertThat(row.timestamps().queuedAt()).isEqualTo(replayAt);
    assertThat(row.workerId()).isNull();
    assertThat(row.errorCode()).isNull();
    assertThat(row.timestamps().failedAt()).isNull();
  }

  @Test
  void progressAndFindAllReadManyRowsAtOnce() {
    UUID a = TestRepositories.queued(tenant, T0);
    UUID b = TestRepositories.queued(tenant, T0);
    TestRepositories.dispatch(b, 1, "w1", T0);

    var progress = repository.progress(List.of(a, b, UUID.randomUUID()));

    assertThat(progress).containsOnlyKeys(a, b);
    assertThat(progress.get(a)).isEqualTo(new GenerationRepository.Progress(
        GenerationState.QUEUED, 0));
    assertThat(progress.get(b)).isEqualTo(new GenerationRepository.Progress(
        GenerationState.DISPATCHED, 1));
    assertThat(repository.findAll(List.of(a, b))).extracting(GenerationRow::id)
        .containsExactlyInAnyOrder(a, b);
  }

  private static GenerationRepository.Finish finish(UUID id, GenerationState state, Instant at) {
    return new GenerationRepository.Finish(id, state, at, null, null, null, 0, null, NO_LATENCY,
        null, null, null);
  }
}
