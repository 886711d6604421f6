package dev.tessera.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Strategy;
import dev.tessera.gateway.TestDatabase;
import dev.tessera.gateway.TestDatabase.TestTenant;
import dev.tessera.gateway.TestProperties;
import dev.tessera.gateway.auth.Caller;
import dev.tessera.gateway.catalog.ModelCatalog;
import dev.tessera.gateway.limits.LimitExceededException;
import dev.tessera.gateway.limits.LimitExceededException.Limit;
import dev.tessera.gateway.limits.LimitService;
import dev.tessera.gateway.problem.ApiException;
import dev.tessera.gateway.problem.InvalidRequestException;
import dev.tessera.gateway.problem.ProblemType;
import dev.tessera.gateway.problem.ServiceUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.http.HttpStatus;

/**
 * Accepting requests against the embedded PostgreSQL, with Kafka and the limits replaced: a request
 * is stored before it is published, charged once per Idempotency-Key, and a refusal or a failure
 * leaves nothing stored and nothing taken.
 */
class GenerationServiceTest {

  private static final ModelDescriptor AR = new ModelDescriptor("fm-ar", 16, 256, 10, 512,
      List.of(Strategy.AR), 0);
  private static final CreateGenerationBody BODY = body(3);

  private final GenerationRepository repository = TestRepositories.generations();
  private final RequestPublisher publisher = mock(RequestPublisher.class);
  private final LimitService limits = mock(LimitService.class);
  private final LimitService.Admission admission = mock(LimitService.Admission.class);
  private final List<UUID> webhooksAttached = new ArrayList<>();
  private final TestTenant tenant = TestDatabase.newTenant();
  private final Caller caller = new Caller(tenant.id(), tenant.keyId());
  private GenerationService service;
  private BatchService batches;

  @BeforeEach
  void setUp() {
    ModelCatalog catalog = mock(ModelCatalog.class);
    when(catalog.find("fm-ar")).thenReturn(Optional.of(AR));
    when(catalog.all()).thenReturn(List.of(AR));
    when(limits.admit(any(), anyList())).thenReturn(admission);
    when(publisher.publish(anyList())).thenReturn(true);
    SubmissionWebhooks webhooks = (url, events) -> url == null ? null : webhooksAttached::add;
    service = new GenerationService(catalog, repository, publisher, limits, TestDatabase.tx(),
        Clock.systemUTC(), webhooks);
    batches = new BatchService(service, TestProperties.gateway());
  }

  @Test
  void aRequestIsAdmittedThenStoredQueuedThenPublished() {
    when(publisher.publish(anyList())).thenAnswer(call -> {
      List<GenerationRequest> published = call.getArgument(0);
      assertThat(TestRepositories.state(UUID.fromString(published.get(0).id())))
          .as("committed before it is published").isEqualTo(GenerationState.QUEUED);
      return true;
    });

    GenerationService.Accepted accepted = service.submit(caller, BODY);

    assertThat(accepted.published()).isTrue();
    assertThat(accepted.replayed()).isFalse();
    assertThat(accepted.state()).isEqualTo(GenerationState.QUEUED);
    GenerationRow row = repository.find(accepted.id()).orElseThrow();
    assertThat(row.tenantId()).isEqualTo(tenant.id());
    assertThat(row.classLabel()).isEqualTo(3);
    InOrder order = inOrder(publisher, limits);
    order.verify(publisher).ensureAvailable();
    order.verify(limits).admit(tenant.id(), List.of(accepted.id()));
    order.verify(publisher).publish(anyList());
  }

  @Test
  void aRequestWhosePublishFailedIsStillAcceptedForTheSweep() {
    when(publisher.publish(anyList())).thenReturn(false);

    GenerationService.Accepted accepted = service.submit(caller, BODY);

    assertThat(accepted.published()).isFalse();
    assertThat(TestRepositories.state(accepted.id())).isEqualTo(GenerationState.QUEUED);
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheFirstGenerationAndChargesNothingMore() {
    GenerationService.Accepted first = service.submit(caller, BODY, "key-1");

    GenerationService.Accepted again = service.submit(caller, BODY, "key-1");

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.replayed()).isTrue();
    verify(limits, times(1)).admit(any(), anyList());
    verify(publisher, times(1)).publish(anyList());
    assertThat(rowsOfTenant()).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() {
    service.submit(caller, BODY, "key-2");

    ApiException refused = catchThrowableOfType(ApiException.class,
        () -> service.submit(caller, body(4), "key-2"));

    assertThat(refused.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
    assertThat(refused.type()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED);
    assertThat(refused.field()).isEqualTo("Idempotency-Key");
    assertThat(rowsOfTenant()).isEqualTo(1);
  }

  @Test
  void anotherTenantsKeyIsNoReplay() {
    service.submit(caller, BODY, "shared");
    TestTenant other = TestDatabase.newTenant();

    GenerationService.Accepted theirs = service.submit(new Caller(other.id(), other.keyId()),
        body(4), "shared");

    assertThat(theirs.replayed()).isFalse();
  }

  @Test
  void aKeyThatIsNotPrintableAsciiIs400NamingTheHeader() {
    for (String key : List.of("", "ключ", "a".repeat(256), "tab\there")) {
      InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
          () -> service.submit(caller, BODY, key));
      assertThat(refused).as("key '" + key + "'").isNotNull();
      assertThat(refused.field()).isEqualTo("Idempotency-Key");
    }
    verify(limits, never()).admit(any(), anyList());
  }

  @Test
  void aLimitRefusalStoresAndPublishesNothing() {
    when(limits.admit(any(), anyList())).thenThrow(
        new LimitExceededException(Limit.IN_FLIGHT, 1, null, 1, "full"));

    assertThatThrownBy(() -> service.submit(caller, BODY))
        .isInstanceOf(LimitExceededException.class);
    assertThat(rowsOfTenant()).isZero();
    verify(publisher, never()).publish(anyList());
  }

  @Test
  void withKafkaDownNothingIsAdmittedOrStored() {
    doThrow(new ServiceUnavailableException("kafka", "down", null)).when(publisher)
        .ensureAvailable();

    assertThatThrownBy(() -> service.submit(caller, BODY))
        .isInstanceOf(ServiceUnavailableException.class);
    verify(limits, never()).admit(any(), anyList());
    assertThat(rowsOfTenant()).isZero();
  }

  @Test
  void aFailureWhileStoringGivesTheAdmissionBackAndStoresNothing() {
    SubmissionWebhooks failing = (url, events) -> id -> {
      throw new IllegalStateException("webhook row refused");
    };
    ModelCatalog catalog = mock(ModelCatalog.class);
    when(catalog.find("fm-ar")).thenReturn(Optional.of(AR));
    GenerationService withFailingWebhooks = new GenerationService(catalog, repository, publisher,
        limits, TestDatabase.tx(), Clock.systemUTC(), failing);

    assertThatThrownBy(() -> withFailingWebhooks.submit(caller, withWebhook(BODY)))
        .hasMessage("webhook row refused");
    verify(admission).undo();
    assertThat(rowsOfTenant()).as("the row rolled back with the webhook").isZero();
    verify(publisher, never()).publish(anyList());
  }

  @Test
  void anUnknownModelIsA503UntilTheCatalogHasReadEveryHeartbeatThenA400() {
    ModelCatalog catalog = mock(ModelCatalog.class);
    when(catalog.find("fm-ar")).thenReturn(Optional.of(AR));
    when(catalog.all()).thenReturn(List.of(AR));
    GenerationService justStarted = new GenerationService(catalog, repository, publisher, limits,
        TestDatabase.tx(), Clock.systemUTC(), (url, events) -> null);
    CreateGenerationBody other = new CreateGenerationBody("fm-par4", 3, null, null, null, null,
        null, null, null, null, null, null, null);

    when(catalog.isComplete()).thenReturn(false);
    assertThatThrownBy(() -> justStarted.submit(caller, other))
        .as("a model a worker may serve, not yet heard of: retry")
        .isInstanceOf(ServiceUnavailableException.class);
    when(catalog.isComplete()).thenReturn(true);
    assertThatThrownBy(() -> justStarted.submit(caller, other))
        .as("once every heartbeat is read, an unknown model is the client's error")
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("unknown model");
    assertThat(justStarted.submit(caller, BODY).state()).as("a known model is accepted either way")
        .isEqualTo(GenerationState.QUEUED);
    assertThat(rowsOfTenant()).as("only the known model's request is stored").isEqualTo(1);
    verify(limits, times(1)).admit(any(), anyList());
  }

  @Test
  void aWebhookIsStoredWithItsRequest() {
    GenerationService.Accepted accepted = service.submit(caller, withWebhook(BODY));
    service.submit(caller, BODY);

    assertThat(webhooksAttached).containsExactly(accepted.id());
  }

  @Test
  void aBatchIsStoredWholeAndAnsweredInOrder() {
    List<GenerationService.Accepted> accepted = batches.submit(caller,
        new CreateBatchBody(List.of(body(1), body(2), body(3))), null);

    assertThat(accepted).hasSize(3);
    assertThat(accepted).extracting(a -> repository.find(a.id()).orElseThrow().classLabel())
        .containsExactly(1, 2, 3);
    verify(limits).admit(tenant.id(), accepted.stream().map(GenerationService.Accepted::id)
        .toList());
  }

  @Test
  void aBatchWithOneBadItemIs400NamingItAndStoresNothing() {
    InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
        () -> batches.submit(caller, new CreateBatchBody(List.of(body(1), body(99))), null));

    assertThat(refused.field()).isEqualTo("requests[1].class_label");
    assertThat(rowsOfTenant()).isZero();
    verify(limits, never()).admit(any(), anyList());
  }

  @Test
  void aRepeatedBatchKeyAnswersEveryItemOfTheFirstBatch() {
    CreateBatchBody body = new CreateBatchBody(List.of(body(1), body(2)));
    List<GenerationService.Accepted> first = batches.submit(caller, body, "batch-key");

    List<GenerationService.Accepted> again = batches.submit(caller, body, "batch-key");

    assertThat(again).extracting(GenerationService.Accepted::id)
        .containsExactlyElementsOf(first.stream().map(GenerationService.Accepted::id).toList());
    assertThat(again).allMatch(GenerationService.Accepted::replayed);
    assertThat(rowsOfTenant()).isEqualTo(2);
  }

  @Test
  void anEmptyOrMissingBatchIs400NamingRequests() {
    for (CreateBatchBody body : java.util.Arrays.asList(null, new CreateBatchBody(null),
        new CreateBatchBody(List.of()))) {
      InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
          () -> batches.submit(caller, body, null));
      assertThat(refused).as(String.valueOf(body)).isNotNull();
      assertThat(refused.field()).isEqualTo("requests");
    }
  }

  private long rowsOfTenant() {
    return TestDatabase.jdbc().sql("SELECT count(*) FROM generations WHERE tenant_id = :t")
        .param("t", tenant.id()).query(Long.class).single();
  }

  private static CreateGenerationBody body(int classLabel) {
    return new CreateGenerationBody("fm-ar", classLabel, "ar", null, null, null, null, null, null,
        null, null, null, null);
  }

  private static CreateGenerationBody withWebhook(CreateGenerationBody b) {
    return new CreateGenerationBody(b.model(), b.classLabel(), b.strategy(), b.seed(),
        b.cfgScale(), b.temperature(), b.topK(), b.topP(), b.draftLen(), b.lanternK(),
        b.lanternDelta(), b.lanternRule(), b.treeTopK(), b.treeTokens(), b.priority(),
        b.deadline(), "https://example.com/hook", null);
  }
}
