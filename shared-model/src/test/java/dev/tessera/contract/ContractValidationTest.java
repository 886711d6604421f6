package dev.tessera.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContractValidationTest {

  @Test
  void batchRejectsMixedModelsStrategiesAndDuplicates() {
    GenerationRequest ar = Fixtures.request("fm-ar", Strategy.AR);
    GenerationRequest spec = Fixtures.request("fm-ar", Strategy.SPECULATIVE);
    GenerationRequest other = Fixtures.request("fm-par4", Strategy.AR);
    String id = UUID.randomUUID().toString();

    assertThatThrownBy(() -> new GenerationBatch(id, "fm-ar", Strategy.AR, List.of(ar, spec), Fixtures.T0))
        .as("mixed strategies").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GenerationBatch(id, "fm-ar", Strategy.AR, List.of(ar, other), Fixtures.T0))
        .as("mixed models").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GenerationBatch(id, "fm-ar", Strategy.AR, List.of(ar, ar), Fixtures.T0))
        .as("duplicate request").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GenerationBatch(id, "fm-ar", Strategy.AR, List.of(), Fixtures.T0))
        .as("empty batch").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resultsCarryExactlyTheOutcomeTheirStatusImplies() {
    GenerationRequest r = Fixtures.request("fm-ar", Strategy.AR);
    String batch = UUID.randomUUID().toString();

    assertThatThrownBy(() -> GenerationResult.succeeded(r, batch, "w", Fixtures.T0, Fixtures.T0,
        Fixtures.metrics(), 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}))
        .as("SUCCEEDED needs a real PNG").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GenerationResult.failed(r, batch, "w", Fixtures.T0, Fixtures.T0, null))
        .as("FAILED needs an error").isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new GenerationResult(r.id(), batch, GenerationState.QUEUED, 1, "w",
        Fixtures.T0, null, null, 0, null, null))
        .as("workers do not report QUEUED").isInstanceOf(IllegalArgumentException.class);
    assertThat(GenerationResult.running(r, batch, "w", Fixtures.T0).isTerminal())
        .as("RUNNING is not terminal").isFalse();
  }

  @Test
  void requestRejectsNonUuidIdsAndNegativeClass() {
    GenerationRequest ok = Fixtures.request("fm-ar", Strategy.AR);

    assertThatThrownBy(() -> new GenerationRequest("abc", ok.tenantId(), ok.apiKeyId(), "fm-ar", 1,
        Strategy.AR, 1, ok.sampling(), null, null, null, 0, Fixtures.T0))
        .as("id must be a UUID").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GenerationRequest(ok.id(), ok.tenantId(), ok.apiKeyId(), "fm-ar", -1,
        Strategy.AR, 1, ok.sampling(), null, null, null, 0, Fixtures.T0))
        .as("class label must be >= 0").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWithdrawalHasNoBatchNorWorkerAndOnlyItMayReportExpired() {
    GenerationRequest r = Fixtures.request("fm-ar", Strategy.AR);
    String batch = UUID.randomUUID().toString();
    Failure reason = Failure.permanent("deadline_passed", "not dispatched by its deadline");

    GenerationResult expired = GenerationResult.withdrawn(r.id(), GenerationState.EXPIRED, 0,
        Fixtures.T0, reason);

    assertThat(expired.isWithdrawal() && expired.isTerminal()).as("a terminal withdrawal").isTrue();
    assertThat(Json.fromBytes(Json.toBytes(expired), GenerationResult.class))
        .as("round trip on the wire").isEqualTo(expired);
    assertThatThrownBy(() -> new GenerationResult(r.id(), batch, GenerationState.EXPIRED, 1, "w",
        Fixtures.T0, Fixtures.T0, null, 0, null, reason))
        .as("a worker cannot expire a request").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GenerationResult.withdrawn(r.id(), GenerationState.SUCCEEDED, 0,
        Fixtures.T0, null)).as("only CANCELLED and EXPIRED are withdrawals")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GenerationResult.withdrawn(r.id(), GenerationState.CANCELLED, 0,
        Fixtures.T0, null)).as("a withdrawal says why").isInstanceOf(NullPointerException.class);
  }
}
