package dev.tessera.gateway.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tessera.contract.DeadLetter;
import dev.tessera.contract.Failure;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.DecodeMetrics;
import dev.tessera.contract.Strategy;
import dev.tessera.gateway.TestDatabase;
import dev.tessera.gateway.TestDatabase.TestTenant;
import dev.tessera.gateway.TestProperties;
import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.gateway.events.StateChanges;
import dev.tessera.gateway.generation.GenerationRepository;
import dev.tessera.gateway.generation.GenerationRow;
import dev.tessera.gateway.generation.RequestPublisher;
import dev.tessera.gateway.generation.ResultCache;
import dev.tessera.gateway.generation.TestRepositories;
import dev.tessera.gateway.limits.LimitService;
import dev.tessera.gateway.metrics.GatewayMetrics;
import dev.tessera.gateway.webhook.WebhookOutbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The result recorder against the embedded PostgreSQL: the row, the usage ledger and the dead
 * letters are real; Redis (cache, limits, announcements), Kafka and the webhook outbox are fakes
 * whose calls are checked. What a user relies on: a result is recorded once, billed only when it
 * succeeded, retried while it may be, and otherwise kept as a dead letter.
 */
class ResultRecorderTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private static final ModelDescriptor AR = new ModelDescriptor("fm-ar", 16, 256, 10, 512,
      List.of(Strategy.AR), 0);
  private static final DecodeMetrics METRICS = new DecodeMetrics(256, 256, 0, 0, 0, 1.0,
      new int[0], 900);
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0};

  private final JdbcClient jdbc = TestDatabase.jdbc();
  private final GenerationRepository generations = TestRepositories.generations();
  private final ResultCache cache = mock(ResultCache.class);
  private final LimitService limits = mock(LimitService.class);
  private final RequestPublisher publisher = mock(RequestPublisher.class);
  private final StateChanges changes = mock(StateChanges.class);
  private final WebhookOutbox webhooks = mock(WebhookOutbox.class);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TestTenant tenant = TestDatabase.newTenant();
  private ResultRecorder recorder;

  @BeforeEach
  void setUp() {
    ModelCatalog catalog = mock(ModelCatalog.class);
    when(catalog.find("fm-ar")).thenReturn(Optional.of(AR));
    recorder = new ResultRecorder(generations, new LedgerRepository(jdbc), cache, catalog, limits,
        new DeadLetterRepository(jdbc), publisher, TestProperties.gateway(), TestDatabase.tx(),
        Clock.fixed(NOW, ZoneOffset.UTC), new GatewayMetrics(registry), changes, webhooks);
  }

  @Test
  void aSuccessIsStoredBilledCachedAndReleasesTheLimitsOnce() {
    GenerationRequest request = dispatched(1);
    GenerationResult succeeded = GenerationResult.succeeded(request, UUID.randomUUID().toString(),
        "w1", NOW.minusSeconds(2), NOW, METRICS, 12, PNG);

    ResultRecorder.Outcome first = recorder.record(succeeded);
    ResultRecorder.Outcome again = recorder.record(succeeded);

    UUID id = UUID.fromString(request.id());
    assertThat(first).isEqualTo(ResultRecorder.Outcome.RECORDED);
    assertThat(again).as("a redelivery changes nothing").isEqualTo(ResultRecorder.Outcome.IGNORED);
    GenerationRow row = generations.find(id).orElseThrow();
    assertThat(row.state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(row.hasImage()).isTrue();
    assertThat(row.latency().decodeMs()).isEqualTo(900);
    assertThat(usage(id)).as("one billable event of one image and 256 tokens")
        .containsExactly(Map.of("billable", true, "images", 1, "tokens", 256));
    verify(limits, times(1)).finished(tenant.id(), id, row.timestamps().queuedAt(), true);
    verify(cache, times(1)).put(any(), eq(PNG));
    verify(changes, times(1)).announce(id, GenerationState.SUCCEEDED);
    verify(webhooks, times(1)).enqueue(any());
    assertThat(registry.get("tessera.requests").tag("status", "SUCCEEDED").counter().count())
        .as("counted once").isEqualTo(1);
  }

  @Test
  void aResultForAnUnknownIdIsUnknownAndTouchesNothing() {
    GenerationRequest stranger = TestRepositories.request(tenant, NOW).withAttempt(1);

    ResultRecorder.Outcome outcome = recorder.record(GenerationResult.succeeded(stranger,
        UUID.randomUUID().toString(), "w1", NOW, NOW, METRICS, 1, PNG));

    assertThat(outcome).isEqualTo(ResultRecorder.Outcome.UNKNOWN);
    verify(limits, never()).finished(any(), any(), any(), anyBoolean());
    verify(cache, never()).put(any(), any());
  }

  @Test
  void runningMovesADispatchedRowOnceAndIsAnnounced() {
    GenerationRequest request = dispatched(1);
    GenerationResult running = GenerationResult.running(request, UUID.randomUUID().toString(),
        "w1", NOW);

    ResultRecorder.Outcome first = recorder.record(running);
    recorder.record(GenerationResult.withdrawn(request.id(), GenerationState.CANCELLED, 1, NOW,
        Failure.permanent("cancelled", "cancelled by the client")));
    ResultRecorder.Outcome late = recorder.record(running);

    assertThat(first).isEqualTo(ResultRecorder.Outcome.RECORDED);
    assertThat(late).as("RUNNING after the end").isEqualTo(ResultRecorder.Outcome.IGNORED);
    verify(changes).announce(UUID.fromString(request.id()), GenerationState.RUNNING);
    assertThat(TestRepositories.state(UUID.fromString(request.id())))
        .isEqualTo(GenerationState.CANCELLED);
  }

  @Test
  void aRetryableFailureWithAttemptsLeftIsRetriedAfterTheBackoffAndBillsNothing() {
    GenerationRequest request = dispatched(1);

    ResultRecorder.Outcome outcome = recorder.record(GenerationResult.failed(request,
        UUID.randomUUID().toString(), "w1", NOW, NOW, Failure.transientFault("oom", "no memory")));

    UUID id = UUID.fromString(request.id());
    assertThat(outcome).isEqualTo(ResultRecorder.Outcome.RECORDED);
    GenerationRow row = generations.find(id).orElseThrow();
    assertThat(row.state()).isEqualTo(GenerationState.RETRYING);
    assertThat(row.errorCode()).isEqualTo("oom");
    assertThat(retryAt(id)).as("first backoff: 1 s").isEqualTo(NOW.plus(Duration.ofSeconds(1)));
    assertThat(usage(id)).as("still in flight: not in the ledger").isEmpty();
    verify(limits, never()).finished(any(), any(), any(), anyBoolean());
    verify(publisher, never()).publish(any(DeadLetter.class));
    verify(changes).announce(id, GenerationState.RETRYING);
    assertThat(registry.get("tessera.request.retries").counter().count()).isEqualTo(1);
  }

  @Test
  void theLastAttemptsFailureEndsFailedUnbilledAndIsDeadLettered() {
    GenerationRequest request = dispatched(3);

    ResultRecorder.Outcome outcome = recorder.record(GenerationResult.failed(request,
        UUID.randomUUID().toString(), "w1", NOW, NOW, Failure.transientFault("oom", "no memory")));

    UUID id = UUID.fromString(request.id());
    assertThat(outcome).isEqualTo(ResultRecorder.Outcome.RECORDED);
    assertThat(TestRepositories.state(id)).isEqualTo(GenerationState.FAILED);
    assertThat(usage(id)).containsExactly(Map.of("billable", false, "images", 0, "tokens", 0));
    assertThat(jdbc.sql("SELECT count(*) FROM dead_letters WHERE request_id = :id")
        .param("id", id).query(Long.class).single()).as("kept for an admin's replay")
        .isEqualTo(1);
    verify(publisher).publish(any(DeadLetter.class));
    verify(limits).finished(eq(tenant.id()), eq(id), any(), eq(false));
    assertThat(registry.get("tessera.dead.letters").counter().count()).isEqualTo(1);
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    GenerationRequest request = dispatched(1);

    recorder.record(GenerationResult.failed(request, UUID.randomUUID().toString(), "w1", NOW, NOW,
        Failure.permanent("bad_model", "weights do not load")));

    assertThat(TestRepositories.state(UUID.fromString(request.id())))
        .isEqualTo(GenerationState.FAILED);
    verify(publisher).publish(any(DeadLetter.class));
  }

  @Test
  void aFailureOfAnOlderAttemptChangesNothing() {
    GenerationRequest request = dispatched(2);
    GenerationRequest olderAttempt = request.withAttempt(1);

    ResultRecorder.Outcome outcome = recorder.record(GenerationResult.failed(olderAttempt,
        UUID.randomUUID().toString(), "w1", NOW, NOW, Failure.transientFault("oom", "x")));

    assertThat(outcome).isEqualTo(ResultRecorder.Outcome.IGNORED);
    assertThat(TestRepositories.state(UUID.fromString(request.id())))
        .isEqualTo(GenerationState.DISPATCHED);
  }

  @Test
  void aQueuedRowExpiresUnbilledButADispatchedOneIsLeftToItsWorker() {
    UUID queued = TestRepositories.queued(tenant, NOW);
    GenerationRequest dispatched = dispatched(1);

    ResultRecorder.Outcome expired = recorder.record(GenerationResult.withdrawn(queued.toString(),
        GenerationState.EXPIRED, 0, NOW, Failure.permanent("deadline_passed", "too late")));
    ResultRecorder.Outcome leftAlone = recorder.record(GenerationResult.withdrawn(dispatched.id(),
        GenerationState.EXPIRED, 1, NOW, Failure.permanent("deadline_passed", "too late")));

    assertThat(expired).isEqualTo(ResultRecorder.Outcome.RECORDED);
    assertThat(TestRepositories.state(queued)).isEqualTo(GenerationState.EXPIRED);
    assertThat(usage(queued)).containsExactly(Map.of("billable", false, "images", 0, "tokens", 0));
    verify(limits).finished(eq(tenant.id()), eq(queued), any(), eq(false));
    assertThat(leftAlone).isEqualTo(ResultRecorder.Outcome.IGNORED);
    assertThat(TestRepositories.state(UUID.fromString(dispatched.id())))
        .isEqualTo(GenerationState.DISPATCHED);
  }

  /** A stored request, dispatched to w1 at {@code attempt}. */
  private GenerationRequest dispatched(int attempt) {
    GenerationRequest request = TestRepositories.request(tenant, NOW.minusSeconds(5));
    generations.insertQueued(request);
    TestRepositories.dispatch(UUID.fromString(request.id()), attempt, "w1", NOW.minusSeconds(4));
    return request.withAttempt(attempt);
  }

  private List<Map<String, Object>> usage(UUID id) {
    return jdbc.sql("SELECT billable, images, tokens FROM usage_events WHERE request_id = :id")
        .param("id", id)
        .query((rs, n) -> Map.<String, Object>of("billable", rs.getBoolean("billable"),
            "images", rs.getInt("images"), "tokens", rs.getInt("tokens")))
        .list();
  }

  private Instant retryAt(UUID id) {
    return jdbc.sql("SELECT retry_at FROM generations WHERE id = :id").param("id", id)
        .query((rs, n) -> rs.getTimestamp("retry_at").toInstant()).single();
  }
}
