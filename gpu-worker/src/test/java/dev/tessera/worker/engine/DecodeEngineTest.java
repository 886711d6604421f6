package dev.tessera.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DecodeEngineTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final String ONE_TENANT = UUID.randomUUID().toString();

  private final FakeServedModel model = new FakeServedModel();
  private final List<GenerationResult> results = new ArrayList<>();

  private DecodeEngine engine(int maxImages) {
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), maxImages);
    return new DecodeEngine(registry, "worker-test", Clock.fixed(T0, ZoneOffset.UTC), id -> false,
        results::add);
  }

  /** Submits the batch and runs the loop until nothing is held. */
  private DecodeEngine run(DecodeEngine engine, GenerationBatch batch) {
    engine.submit(batch);
    engine.runUntilIdle();
    assertThat(engine.held()).as("nothing held after the loop drained").isZero();
    return engine;
  }

  @Test
  void everyRequestIsReportedRunningThenSucceededWithItsImage() {
    GenerationBatch batch = batch(1, 2, 3);

    run(engine(8), batch);

    for (GenerationRequest r : batch.requests()) {
      assertThat(statesOf(r)).as("events of " + r.classLabel())
          .containsExactly(GenerationState.RUNNING, GenerationState.SUCCEEDED);
    }
    assertThat(results).filteredOn(GenerationResult::isTerminal)
        .as("terminal results carry image, metrics, worker and attempt")
        .allSatisfy(r -> {
          assertThat(r.png()).as("png").isNotEmpty();
          assertThat(r.metrics().steps()).as("steps").isEqualTo(4);
          assertThat(r.workerId()).as("worker").isEqualTo("worker-test");
          assertThat(r.attempt()).as("attempt").isEqualTo(1);
        });
    assertThat(model.batchSizesSeen).as("the three decode together, step by step")
        .containsExactly(3, 3, 3, 3);
  }

  @Test
  void aRequestRejectedAtAdmissionFailsAloneAndItsBatchMatesSucceed() {
    GenerationBatch batch = batch(1, FakeServedModel.REJECTED_CLASS, 2);

    run(engine(8), batch);

    assertThat(terminalByClass()).as("only the rejected request fails").isEqualTo(Map.of(
        1, GenerationState.SUCCEEDED, FakeServedModel.REJECTED_CLASS, GenerationState.FAILED,
        2, GenerationState.SUCCEEDED));
    assertThat(terminal(batch.requests().get(1)).error().code()).as("error code")
        .isEqualTo("invalid_request");
    assertThat(terminal(batch.requests().get(1)).error().retryable()).as("not retryable")
        .isFalse();
  }

  @Test
  void aPoisonRequestThatBreaksTheStepIsIsolatedAndOnlyItFails() {
    GenerationBatch batch = batch(1, FakeServedModel.POISON_CLASS, 2);

    run(engine(8), batch);

    assertThat(terminalByClass()).as("the poison fails, its batch-mates succeed").isEqualTo(Map.of(
        1, GenerationState.SUCCEEDED, FakeServedModel.POISON_CLASS, GenerationState.FAILED,
        2, GenerationState.SUCCEEDED));
    assertThat(results.stream().filter(GenerationResult::isTerminal).count())
        .as("exactly one terminal result per request").isEqualTo(3);
    assertThat(terminal(batch.requests().get(1)).error().code()).as("error code")
        .isEqualTo("decode_error");
  }

  @Test
  void anImageThatCannotBeEncodedFailsOnlyItsRequest() {
    GenerationBatch batch = batch(FakeServedModel.UNENCODABLE_CLASS, 3);

    run(engine(8), batch);

    assertThat(terminalByClass()).as("encode failure is per request").isEqualTo(Map.of(
        FakeServedModel.UNENCODABLE_CLASS, GenerationState.FAILED, 3, GenerationState.SUCCEEDED));
  }

  @Test
  void aBatchLargerThanThePoolIsAdmittedAsSlotsFreeUp() {
    GenerationBatch batch = batch(0, 1, 2, 3, 4);

    run(engine(2), batch);

    assertThat(terminalByClass().values()).as("all five succeed through a pool of two")
        .containsOnly(GenerationState.SUCCEEDED).hasSize(5);
    assertThat(model.batchSizesSeen).as("never more active than the pool holds")
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
  }

  @Test
  void aBatchForAModelTheWorkerDoesNotServeFailsRetryably() {
    GenerationRequest r = request("other-model", 1);
    GenerationBatch batch = new GenerationBatch(UUID.randomUUID().toString(), "other-model",
        Strategy.AR, List.of(r), T0);

    run(engine(8), batch);

    assertThat(results).as("one FAILED result").singleElement().satisfies(res -> {
      assertThat(res.status()).as("status").isEqualTo(GenerationState.FAILED);
      assertThat(res.error().retryable()).as("another worker may serve it").isTrue();
    });
  }

  @Test
  void aStoppingWorkerAbandonsWhatItHoldsWithoutTerminalResultsAndFreesTheSlots() throws Exception {
    DecodeEngine engine = engine(8);
    engine.submit(batch(1, 2));
    engine.iterate(0); // admitted, one step done

    assertThat(engine.abandonAll()).as("both abandoned").isEqualTo(2);

    assertThat(engine.held()).as("nothing held").isZero();
    assertThat(results).as("no terminal result for an abandoned request")
        .noneMatch(GenerationResult::isTerminal);
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), 8);
    assertThat(registry.decoder(model, Strategy.AR).activeJobs()).as("fresh decoder idle").isZero();
  }

  @Test
  void cancelledRequestsStopAtTheNextStepFreeTheirSlotsAndTheOthersSucceed() {
    GenerationBatch batch = batch(1, 2, 3);
    GenerationRequest running = batch.requests().get(0);
    GenerationRequest waiting = batch.requests().get(2);
    CancelledRequests cancelled = new CancelledRequests(10);
    cancelled.add(waiting.id()); // cancelled before the worker got to it
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), 2);
    // the client cancels the first request after its first step
    DecodeEngine engine = new DecodeEngine(registry, "worker-test",
        Clock.fixed(T0, ZoneOffset.UTC),
        id -> cancelled.contains(id) || (id.equals(running.id()) && !model.batchSizesSeen.isEmpty()),
        results::add);

    engine.submit(batch);
    engine.runUntilIdle();

    assertThat(statesOf(running)).as("running one: stopped, never succeeded")
        .containsExactly(GenerationState.RUNNING, GenerationState.CANCELLED);
    assertThat(statesOf(waiting)).as("waiting one: never admitted")
        .containsExactly(GenerationState.CANCELLED);
    assertThat(statesOf(batch.requests().get(1))).as("batch-mate unaffected")
        .containsExactly(GenerationState.RUNNING, GenerationState.SUCCEEDED);
    assertThat(model.batchSizesSeen).as("after the cancellation only the batch-mate steps")
        .containsExactly(2, 1, 1, 1);
    assertThat(registry.decoder(model, Strategy.AR).freeSlots()).as("every slot back in the pool")
        .isEqualTo(2);
  }

  @Test
  void aBatchThatArrivesMidDecodeJoinsTheRunningSequencesAtTheNextStep() throws Exception {
    DecodeEngine engine = engine(8);
    GenerationBatch first = batch(1, 2);
    engine.submit(first);
    engine.iterate(0);
    engine.iterate(0); // two of the four steps done
    GenerationBatch second = batch(3);

    engine.submit(second);
    engine.runUntilIdle();

    assertThat(model.batchSizesSeen).as("the newcomer steps with the two running ones, then alone")
        .containsExactly(2, 2, 3, 3, 1, 1);
    assertThat(results.stream().filter(GenerationResult::isTerminal).map(GenerationResult::status))
        .as("all three succeed").containsOnly(GenerationState.SUCCEEDED).hasSize(3);
  }

  @Test
  void whenSlotsFreeUpAWaitingHighPriorityRequestIsAdmittedBeforeEarlierNormalOnes()
      throws Exception {
    DecodeEngine engine = engine(1);
    engine.submit(batch(1));
    engine.iterate(0); // class 1 holds the only slot
    GenerationRequest normal = request("fake", 2);
    GenerationRequest high = new GenerationRequest(UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), UUID.randomUUID().toString(), "fake", 3, Strategy.AR, 5L,
        SamplingParams.DEFAULT, StrategyParams.DEFAULT, Priority.HIGH, null, 1, T0);
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        List.of(normal), T0));
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        List.of(high), T0));
    assertThat(engine.held()).as("three held: one decoding, two waiting").isEqualTo(3);

    engine.runUntilIdle();

    List<String> admissionOrder = results.stream()
        .filter(r -> r.status() == GenerationState.RUNNING).map(GenerationResult::requestId)
        .toList();
    assertThat(admissionOrder).as("high overtakes the normal one that arrived first")
        .containsExactly(lastBatchFirstId, high.id(), normal.id());
  }

  @Test
  void aHighPriorityRequestTakesTheReserveAndStepsAloneWhileLowerOnesAreParked() throws Exception {
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), 4);
    DecodeEngine engine = new DecodeEngine(registry, "worker-test",
        Clock.fixed(T0, ZoneOffset.UTC), id -> false, results::add, 1);
    GenerationBatch lows = batch(1, 2, 3, 4);
    engine.submit(lows);
    engine.iterate(0); // three lows admitted (the fourth would eat the reserve), one step
    GenerationRequest high = new GenerationRequest(UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), UUID.randomUUID().toString(), "fake", 5, Strategy.AR, 5L,
        SamplingParams.DEFAULT, StrategyParams.DEFAULT, Priority.HIGH, null, 1, T0);

    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        List.of(high), T0));
    engine.runUntilIdle();

    assertThat(model.batchSizesSeen).as("3 lows; the high alone for its 4 steps; the 3 lows "
        + "resume for their last 3; then the 4th low").containsExactly(3, 1, 1, 1, 1, 3, 3, 3, 1,
        1, 1, 1);
    List<String> finishOrder = results.stream().filter(GenerationResult::isTerminal)
        .map(GenerationResult::requestId).toList();
    assertThat(finishOrder.get(0)).as("the high one finishes first").isEqualTo(high.id());
    assertThat(finishOrder).as("every request finishes once").hasSize(5).doesNotHaveDuplicates();
  }

  @Test
  void whenASlotFreesALightTenantsRequestGoesBeforeAHeavyTenantsEarlierOnes() throws Exception {
    DecodeEngine engine = engine(3);
    List<GenerationRequest> heavy = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      heavy.add(tenantRequest("heavy", i));
    }
    GenerationRequest light = tenantRequest("light", 9);
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        heavy.subList(0, 2), T0));
    engine.iterate(0);
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        heavy.subList(2, 5), T0));
    engine.iterate(0); // three heavy ones decode (one started later), two wait
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        List.of(light), T0));

    engine.runUntilIdle();

    List<String> admissionOrder = results.stream()
        .filter(r -> r.status() == GenerationState.RUNNING).map(GenerationResult::requestId)
        .toList();
    assertThat(admissionOrder.get(3)).as("the light tenant's request takes the first free slot, "
        + "before the heavy tenant's earlier waiting ones").isEqualTo(light.id());
    assertThat(admissionOrder).as("everyone runs once").hasSize(6).doesNotHaveDuplicates();
  }

  @Test
  void aTenantWithNothingDecodingMayTakeTheReserveBesideAnotherTenantsFlood() throws Exception {
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), 4);
    DecodeEngine engine = new DecodeEngine(registry, "worker-test",
        Clock.fixed(T0, ZoneOffset.UTC), id -> false, results::add, 1);
    List<GenerationRequest> heavy = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      heavy.add(tenantRequest("heavy", i));
    }
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR, heavy, T0));
    engine.iterate(0);
    GenerationRequest light = tenantRequest("light", 9);
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        List.of(light), T0));

    engine.iterate(0);

    List<String> running = results.stream().filter(r -> r.status() == GenerationState.RUNNING)
        .map(GenerationResult::requestId).toList();
    assertThat(running).as("heavy's first request took the reserve when heavy had nothing "
        + "decoding; the next two fill ordinary room; light takes the last slot at once")
        .hasSize(4).endsWith(light.id());
  }

  @Test
  void aLightTenantsImageStepsBesideOnlyAFewOfAFloodsAndTheFloodCatchesUpAfter() throws Exception {
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), 8);
    DecodeEngine engine = new DecodeEngine(registry, "worker-test",
        Clock.fixed(T0, ZoneOffset.UTC), id -> false, results::add, 0, 3, (m, s, x) -> { });
    List<GenerationRequest> heavy = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      heavy.add(tenantRequest("heavy", i));
    }
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR, heavy, T0));
    engine.iterate(0); // six heavy images, one step
    GenerationRequest light = tenantRequest("light", 9);
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        List.of(light), T0));

    engine.runUntilIdle();

    assertThat(model.batchSizesSeen).as("6 heavy (4 steps each); then the light image with the two "
        + "oldest heavy ones (width 3) until they finish; light with the next two; then the four "
        + "heavy ones left, uncapped").containsExactly(6, 3, 3, 3, 3, 4, 4, 2);
    List<String> finishOrder = results.stream().filter(GenerationResult::isTerminal)
        .map(GenerationResult::requestId).toList();
    assertThat(finishOrder).as("every request finishes once").hasSize(7).doesNotHaveDuplicates();
    assertThat(finishOrder.indexOf(light.id())).as("the light image finishes before the flood's "
        + "parked ones").isLessThan(3);
  }

  @Test
  void aPoisonRequestBesideParkedSequencesFailsAloneAndEveryOtherRequestSucceedsOnce()
      throws Exception {
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), 8);
    DecodeEngine engine = new DecodeEngine(registry, "worker-test",
        Clock.fixed(T0, ZoneOffset.UTC), id -> false, results::add, 0, 3, (m, s, x) -> { });
    List<GenerationRequest> heavy = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      heavy.add(tenantRequest("heavy", i));
    }
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR, heavy, T0));
    engine.iterate(0);
    GenerationRequest poison = tenantRequest("light", FakeServedModel.POISON_CLASS);
    engine.submit(new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR,
        List.of(poison), T0));

    engine.runUntilIdle(); // light's poison steps with two heavy ones (width 3), three are parked

    Map<String, GenerationState> terminal = results.stream().filter(GenerationResult::isTerminal)
        .collect(Collectors.toMap(GenerationResult::requestId, GenerationResult::status));
    assertThat(terminal).as("one terminal result per request").hasSize(6);
    assertThat(terminal.get(poison.id())).as("the poison fails").isEqualTo(GenerationState.FAILED);
    assertThat(heavy).as("every heavy request succeeds, parked or not")
        .allSatisfy(r -> assertThat(terminal.get(r.id())).isEqualTo(GenerationState.SUCCEEDED));
  }

  private static GenerationRequest tenantRequest(String tenant, int classLabel) {
    return new GenerationRequest(UUID.randomUUID().toString(),
        UUID.nameUUIDFromBytes(tenant.getBytes()).toString(), UUID.randomUUID().toString(), "fake",
        classLabel, Strategy.AR, 5L, SamplingParams.DEFAULT, StrategyParams.DEFAULT, Priority.NORMAL,
        null, 1, T0);
  }

  private List<GenerationState> statesOf(GenerationRequest r) {
    return results.stream().filter(x -> x.requestId().equals(r.id()))
        .map(GenerationResult::status).toList();
  }

  private GenerationResult terminal(GenerationRequest r) {
    return results.stream().filter(x -> x.requestId().equals(r.id()) && x.isTerminal())
        .findFirst().orElseThrow();
  }

  private Map<Integer, GenerationState> terminalByClass() {
    Map<String, Integer> classes = new java.util.HashMap<>();
    lastBatch.requests().forEach(r -> classes.put(r.id(), r.classLabel()));
    return results.stream().filter(GenerationResult::isTerminal)
        .collect(Collectors.toMap(r -> classes.get(r.requestId()), GenerationResult::status));
  }

  private GenerationBatch lastBatch;
  private String lastBatchFirstId;

  private GenerationBatch batch(int... classes) {
    List<GenerationRequest> requests = Arrays.stream(classes).mapToObj(c -> request("fake", c))
        .toList();
    lastBatch = new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR, requests, T0);
    lastBatchFirstId = requests.get(0).id();
    return lastBatch;
  }

  /** A request of the test's one ordinary tenant. */
  private static GenerationRequest request(String model, int classLabel) {
    return new GenerationRequest(UUID.randomUUID().toString(), ONE_TENANT,
        UUID.randomUUID().toString(), model, classLabel, Strategy.AR, 5L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 1, T0);
  }
}
