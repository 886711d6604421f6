package dev.tessera.scheduler.dispatch;

import dev.tessera.scheduler.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.ModelDescriptor;
import dev.tessera.contract.Priority;
import dev.tessera.contract.WorkerHeartbeat;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.contract.SamplingParams;
import dev.tessera.scheduler.SchedulerProperties;
import dev.tessera.scheduler.batching.PendingQueues.Pending;
import dev.tessera.scheduler.fleet.WorkerFleet;
import dev.tessera.scheduler.lease.DispatchLease;
import dev.tessera.scheduler.metrics.SchedulerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatch loop's decisions, one pass at a time ({@link DispatchLoop#step()}) on a hand-moved
 * clock: the real queue, fleet and recovery; PostgreSQL, Kafka and the lease replaced by fakes.
 */
class DispatchLoopTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ModelDescriptor AR = new ModelDescriptor("fm-ar", 16, 256, 10, 512,
      List.of(Strategy.AR), 0);
  private static final long TOKEN = 7;
  private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(8);
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(15);
  private static final Duration SWEEP_MIN_AGE = Duration.ofSeconds(10);

  /** A batch the loop handed to the dispatcher. */
  private record Sent(String workerId, long token, List<String> ids) {}

  private final MutableClock clock = new MutableClock(T0);
  private final SchedulerProperties properties = new SchedulerProperties(8, Duration.ZERO,
      WORKER_TIMEOUT, SWEEP_INTERVAL, SWEEP_MIN_AGE, Duration.ofMillis(200), Duration.ofSeconds(5),
      Duration.ZERO, Duration.ofSeconds(30), 256, null, null, "s1", Duration.ofSeconds(5),
      Duration.ofSeconds(1));
  private final DispatchLease lease = mock(DispatchLease.class);
  private final BatchDispatcher dispatcher = mock(BatchDispatcher.class);
  private final PendingRepository repository = mock(PendingRepository.class);
  private final TenantWeights weights = mock(TenantWeights.class);
  private final BatchPublisher publisher = mock(BatchPublisher.class);
  private final List<Sent> sent = new ArrayList<>();
  private WorkerFleet fleet;
  private DispatchLoop loop;

  @BeforeEach
  void setUp() {
    when(weights.weight(anyString())).thenReturn(1.0);
    when(lease.current()).thenReturn(OptionalLong.of(TOKEN));
    when(lease.holder()).thenReturn("s1");
    when(repository.findQueued(any(), anyInt())).thenReturn(List.of());
    when(repository.heldByWorkers()).thenReturn(Map.of());
    when(dispatcher.dispatch(any(), any(), anyLong(), anyString())).thenAnswer(call -> {
      List<Pending> batch = call.getArgument(0);
      WorkerFleet.Target target = call.getArgument(1);
      List<GenerationRequest> requests = batch.stream().map(Pending::request).toList();
      sent.add(new Sent(target.workerId(), call.getArgument(2),
          requests.stream().map(GenerationRequest::id).toList()));
      return new BatchDispatcher.Outcome(new GenerationBatch(UUID.randomUUID().toString(),
          requests.get(0).model(), Strategy.AR, requests, clock.instant(), target.workerId(),
          call.getArgument(2)), 0);
    });
    DispatchConfiguration configuration = new DispatchConfiguration();
    fleet = configuration.workerFleet(properties);
    DispatchState state = new DispatchState(configuration.pendingQueues(properties, weights),
        fleet);
    loop = new DispatchLoop(state, new QueueRecovery(state, repository, weights, properties,
        clock), dispatcher, publisher, properties, clock,
        new SchedulerMetrics(new SimpleMeterRegistry()), lease);
  }

  @Test
  void aStandbyQueuesNothingAndDispatchesNothing() {
    when(lease.current()).thenReturn(OptionalLong.empty());
    worker("w1", 4);

    DispatchLoop.Pass pass = loop.step();
    loop.enqueue(request("t1", Priority.NORMAL));
    loop.step();

    assertThat(pass.active()).as("without the lease the loop stands by").isFalse();
    assertThat(loop.isActive()).isFalse();
    assertThat(loop.pending()).as("the active scheduler has the request, not this one").isZero();
    verify(dispatcher, never()).dispatch(any(), any(), anyLong(), anyString());
  }

  @Test
  void takingTheLeaseRebuildsTheQueueFromPostgresAndDispatchesUnderItsToken() {
    GenerationRequest queued = request("t1", Priority.NORMAL);
    when(repository.findQueued(any(), anyInt())).thenReturn(List.of(queued));
    worker("w1", 4);

    DispatchLoop.Pass pass = loop.step();

    assertThat(pass.active()).isTrue();
    assertThat(loop.isActive()).isTrue();
    assertThat(sent).as("the QUEUED row read at takeover is dispatched with the lease's token")
        .containsExactly(new Sent("w1", TOKEN, List.of(queued.id())));
    verify(repository).findQueued(eq(T0), anyInt());
  }

  @Test
  void nothingIsDispatchedWithoutRoomUntilAHeartbeatBringsSome() {
    loop.step();
    GenerationRequest r = request("t1", Priority.NORMAL);
    loop.enqueue(r);

    DispatchLoop.Pass idle = loop.step();
    worker("w1", 1);
    DispatchLoop.Pass busy = loop.step();

    assertThat(idle.batches()).as("no worker, no dispatch").isZero();
    assertThat(busy.batches()).isEqualTo(1);
    assertThat(sent).containsExactly(new Sent("w1", TOKEN, List.of(r.id())));
    assertThat(loop.pending()).isZero();
  }

  @Test
  void aWorkerIsNeverGivenMoreThanItsRoom() {
    loop.step();
    worker("w1", 2);
    for (int i = 0; i < 5; i++) {
      loop.enqueue(request("t" + i, Priority.NORMAL));
    }

    loop.step();
    loop.step();

    assertThat(sent.stream().mapToInt(s -> s.ids().size()).sum())
        .as("capacity 2, nothing finished yet").isEqualTo(2);
    assertThat(loop.pending()).isEqualTo(3);
    assertThat(fleet.holding("w1")).isEqualTo(2);
  }

  @Test
  void aFinishedRequestFreesRoomForTheNext() {
    loop.step();
    worker("w1", 1);
    GenerationRequest first = request("t1", Priority.NORMAL);
    GenerationRequest second = request("t1", Priority.NORMAL);
    loop.enqueue(first);
    loop.enqueue(second);
    loop.step();

    loop.onFinished(first.id());
    loop.step();

    assertThat(sent).extracting(Sent::ids)
        .containsExactly(List.of(first.id()), List.of(second.id()));
  }

  @Test
  void highPriorityGoesFirstWhenRoomIsShort() {
    loop.step();
    GenerationRequest low = request("t1", Priority.LOW);
    GenerationRequest high = request("t2", Priority.HIGH);
    loop.enqueue(low);
    clock.advance(Duration.ofMillis(10));
    loop.enqueue(high);
    worker("w1", 1);

    loop.step();

    assertThat(sent).as("one slot: the high-priority request takes it, though it came later")
        .containsExactly(new Sent("w1", TOKEN, List.of(high.id())));
    assertThat(loop.pending()).isEqualTo(1);
  }

  @Test
  void aTenantWithNothingRunningIsNotQueuedBehindAnotherTenantsFlood() {
    loop.step();
    List<GenerationRequest> flood = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      flood.add(request("heavy", Priority.NORMAL));
      loop.enqueue(flood.get(i));
      clock.advance(Duration.ofMillis(1));
    }
    GenerationRequest light = request("light", Priority.NORMAL);
    loop.enqueue(light);
    worker("w1", 2);

    loop.step();

    List<String> dispatched = sent.stream().flatMap(s -> s.ids().stream()).toList();
    assertThat(dispatched).as("two slots: one for each tenant, not both for the flood")
        .containsExactlyInAnyOrder(flood.get(0).id(), light.id());
  }

  @Test
  void aFailedDispatchPutsTheBatchBackAndGivesTheRoomBack() {
    loop.step();
    worker("w1", 1);
    GenerationRequest r = request("t1", Priority.NORMAL);
    loop.enqueue(r);
    doThrow(new IllegalStateException("Kafka down")).doAnswer(call -> {
      List<Pending> batch = call.getArgument(0);
      sent.add(new Sent("w1", TOKEN, batch.stream().map(p -> p.request().id()).toList()));
      return new BatchDispatcher.Outcome(null, 0);
    }).when(dispatcher).dispatch(any(), any(), anyLong(), anyString());

    loop.step();
    int pendingAfterFailure = loop.pending();
    int heldAfterFailure = fleet.holding("w1");
    loop.step();

    assertThat(pendingAfterFailure).as("the batch is back in the queue").isEqualTo(1);
    assertThat(heldAfterFailure).as("the worker's room is free again").isZero();
    assertThat(sent).as("the next pass tries again")
        .containsExactly(new Sent("w1", TOKEN, List.of(r.id())));
  }

  @Test
  void requestsNoLongerQueuedInPostgresFreeTheirRoom() {
    loop.step();
    worker("w1", 1);
    GenerationRequest r = request("t1", Priority.NORMAL);
    loop.enqueue(r);
    doReturn(new BatchDispatcher.Outcome(null, 1)).when(dispatcher)
        .dispatch(any(), any(), anyLong(), anyString());

    loop.step();

    assertThat(fleet.holding("w1")).as("a row claimed by no one does not hold the worker's room")
        .isZero();
    assertThat(loop.pending()).isZero();
  }

  @Test
  void aSilentWorkersRequestsAreRequeuedAndGoToAnotherWorker() {
    loop.step();
    worker("w1", 1);
    GenerationRequest r = request("t1", Priority.NORMAL);
    loop.enqueue(r);
    loop.step();
    when(repository.requeue(eq("w1"), any())).thenReturn(List.of(r));

    clock.advance(WORKER_TIMEOUT.plusSeconds(1));
    worker("w2", 1);
    loop.step(); // w1 is gone: its request is queued again
    loop.step();

    verify(repository).requeue(eq("w1"), any());
    assertThat(sent).extracting(Sent::workerId).containsExactly("w1", "w2");
    assertThat(sent.get(1).ids()).containsExactly(r.id());
  }

  @Test
  void aLeavingWorkersRequestsAreRequeuedAtOnce() {
    loop.step();
    worker("w1", 1);
    GenerationRequest r = request("t1", Priority.NORMAL);
    loop.enqueue(r);
    loop.step();
    when(repository.requeue(eq("w1"), any())).thenReturn(List.of(r));

    loop.onHeartbeat(new WorkerHeartbeat("w1", clock.instant(), Duration.ofSeconds(2),
        List.of(AR), Map.of(), true, 1, List.of(0), 0));

    verify(repository).requeue(eq("w1"), any());
    assertThat(loop.pending()).isEqualTo(1);
    assertThat(fleet.isLive("w1")).isFalse();
  }

  @Test
  void whatADrainingWorkerHandsBackIsQueuedAgainAndNotSentBackToIt() {
    loop.step();
    worker("w1", 2);
    GenerationRequest r = request("t1", Priority.NORMAL);
    loop.enqueue(r);
    loop.step();
    when(repository.requeueHandedBack(eq("w1"), eq(List.of(r.id())), any()))
        .thenReturn(List.of(r));

    loop.onHeartbeat(new WorkerHeartbeat("w1", clock.instant(), Duration.ofSeconds(2),
        List.of(AR), Map.of(), false, 2, List.of(0), 0, true, List.of(r.id()), 1));
    loop.step();

    assertThat(loop.pending()).as("queued again; a draining worker takes no new work")
        .isEqualTo(1);
    assertThat(sent).hasSize(1);
    verify(repository, never()).requeue(anyString(), any());
  }

  @Test
  void aStandbyLeavesALeavingWorkersRequestsToTheActiveScheduler() {
    when(lease.current()).thenReturn(OptionalLong.empty());
    loop.step();

    loop.onHeartbeat(new WorkerHeartbeat("w1", clock.instant(), Duration.ofSeconds(2),
        List.of(AR), Map.of(), true, 1, List.of(0), 0));

    verify(repository, never()).requeue(anyString(), any());
  }

  @Test
  void aRequestPastItsDeadlineInTheQueueExpires() throws Exception {
    loop.step();
    GenerationRequest r = request("t1", Priority.NORMAL, T0.plusSeconds(1));
    loop.enqueue(r);

    DispatchLoop.Pass waiting = loop.step();
    clock.advance(Duration.ofSeconds(2));
    loop.step();

    assertThat(waiting.nextWake()).as("the loop wakes at the deadline").isEqualTo(r.deadline());
    verify(publisher).publishResult(argThat(result -> result.requestId().equals(r.id())
        && result.status() == GenerationState.EXPIRED));
    assertThat(loop.pending()).isZero();
  }

  @Test
  void aCancelledRequestIsNeverDispatched() {
    loop.step();
    GenerationRequest r = request("t1", Priority.NORMAL);
    loop.enqueue(r);

    boolean removed = loop.cancel(r.id());
    worker("w1", 1);
    loop.step();

    assertThat(removed).isTrue();
    assertThat(loop.cancel(r.id())).as("gone already").isFalse();
    assertThat(sent).isEmpty();
  }

  @Test
  void losingTheLeaseEmptiesTheQueue() {
    loop.step();
    loop.enqueue(request("t1", Priority.NORMAL));
    int before = loop.pending();
    when(lease.current()).thenReturn(OptionalLong.empty());

    DispatchLoop.Pass pass = loop.step();

    assertThat(before).isEqualTo(1);
    assertThat(pass.active()).isFalse();
    assertThat(loop.pending()).as("the new active scheduler rebuilds it from PostgreSQL").isZero();
    assertThat(loop.isActive()).isFalse();
  }

  @Test
  void postgresIsSweptForQueuedRowsOncePerInterval() {
    loop.step(); // takeover: read once, up to now
    clock.advance(SWEEP_INTERVAL.minusSeconds(1));
    loop.step(); // not due yet
    clock.advance(Duration.ofSeconds(1));
    loop.step(); // due: rows at least sweepMinAge old

    verify(repository, times(2)).findQueued(any(), anyInt());
    verify(repository).findQueued(eq(T0), anyInt());
    verify(repository).findQueued(eq(clock.instant().minus(SWEEP_MIN_AGE)), anyInt());
  }

  private void worker(String id, int capacity) {
    loop.onHeartbeat(new WorkerHeartbeat(id, clock.instant(), Duration.ofSeconds(2), List.of(AR),
        Map.of(), false, capacity, List.of(0), 0));
  }

  private GenerationRequest request(String tenant, Priority priority) {
    return request(tenant, priority, null);
  }

  private GenerationRequest request(String tenant, Priority priority, Instant deadline) {
    String tenantId = UUID.nameUUIDFromBytes(tenant.getBytes(StandardCharsets.UTF_8)).toString();
    return new GenerationRequest(UUID.randomUUID().toString(), tenantId,
        UUID.randomUUID().toString(), "fm-ar", 1, Strategy.AR, 7L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, priority, deadline, 0, clock.instant());
  }
}
