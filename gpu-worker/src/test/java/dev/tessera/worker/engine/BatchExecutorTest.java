package dev.tessera.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.contract.GenerationBatch;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.GenerationResult;
import dev.tessera.contract.GenerationState;
import dev.tessera.contract.Priority;
import dev.tessera.decoding.Strategy;
import dev.tessera.decoding.StrategyParams;
import dev.tessera.sampling.SamplingParams;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BatchExecutorTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final FakeServedModel model = new FakeServedModel();
  private final List<GenerationResult> results = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();

  private BatchExecutor executor(int maxImages) {
    ModelRegistry registry = new ModelRegistry(name -> model, List.of("fake"), maxImages);
    return new BatchExecutor(registry, "worker-test", Clock.fixed(T0, ZoneOffset.UTC),
        stopping::get);
  }

  @Test
  void everyRequestIsReportedRunningThenSucceededWithItsImage() {
    GenerationBatch batch = batch(1, 2, 3);

    BatchExecutor.Completion completion = executor(8).execute(batch, results::add);

    assertThat(completion).as("batch completes").isEqualTo(BatchExecutor.Completion.COMPLETED);
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

    executor(8).execute(batch, results::add);

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

    BatchExecutor.Completion completion = executor(8).execute(batch, results::add);

    assertThat(completion).as("batch completes").isEqualTo(BatchExecutor.Completion.COMPLETED);
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

    executor(8).execute(batch, results::add);

    assertThat(terminalByClass()).as("encode failure is per request").isEqualTo(Map.of(
        FakeServedModel.UNENCODABLE_CLASS, GenerationState.FAILED, 3, GenerationState.SUCCEEDED));
  }

  @Test
  void aBatchLargerThanThePoolIsAdmittedAsSlotsFreeUp() {
    GenerationBatch batch = batch(0, 1, 2, 3, 4);

    executor(2).execute(batch, results::add);

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

    executor(8).execute(batch, results::add);

    assertThat(results).as("one FAILED result").singleElement().satisfies(res -> {
      assertThat(res.status()).as("status").isEqualTo(GenerationState.FAILED);
      assertThat(res.error().retryable()).as("another worker may serve it").isTrue();
    });
  }

  @Test
  void aStoppingWorkerAbandonsTheBatchWithoutTerminalResults() {
    stopping.set(true);

    BatchExecutor.Completion completion = executor(8).execute(batch(1, 2), results::add);

    assertThat(completion).as("abandoned, to be redelivered")
        .isEqualTo(BatchExecutor.Completion.ABANDONED);
    assertThat(results).as("no terminal result for an abandoned request")
        .noneMatch(GenerationResult::isTerminal);
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
    BatchExecutor executor = new BatchExecutor(registry, "worker-test",
        Clock.fixed(T0, ZoneOffset.UTC), stopping::get,
        id -> cancelled.contains(id) || (id.equals(running.id()) && !model.batchSizesSeen.isEmpty()));

    BatchExecutor.Completion completion = executor.execute(batch, results::add);

    assertThat(completion).as("batch completes").isEqualTo(BatchExecutor.Completion.COMPLETED);
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

  private GenerationBatch batch(int... classes) {
    List<GenerationRequest> requests = Arrays.stream(classes).mapToObj(c -> request("fake", c))
        .toList();
    lastBatch = new GenerationBatch(UUID.randomUUID().toString(), "fake", Strategy.AR, requests, T0);
    return lastBatch;
  }

  private static GenerationRequest request(String model, int classLabel) {
    return new GenerationRequest(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), model, classLabel, Strategy.AR, 5L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, null, 1, T0);
  }
}
