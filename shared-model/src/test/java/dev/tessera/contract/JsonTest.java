package dev.tessera.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void requestRoundTripsWithSnakeCaseNamesAndApiStrategyName() throws Exception {
    GenerationRequest request = Fixtures.request("fm-ar", Strategy.AR);

    byte[] bytes = Json.toBytes(request);
    JsonNode tree = Json.mapper().readTree(bytes);

    assertThat(tree.get("class_label").asInt()).as("class label under its API name").isEqualTo(3);
    assertThat(tree.get("strategy").asText()).as("strategy by API name").isEqualTo("ar");
    assertThat(tree.get("priority").asText()).as("priority by API name").isEqualTo("normal");
    assertThat(tree.get("sampling").get("cfg_scale").asDouble()).as("nested snake_case").isEqualTo(2.0);
    assertThat(tree.get("queued_at").asText()).as("ISO-8601 instant")
        .isEqualTo("2025-01-02T03:04:05.123456Z");
    assertThat(Json.fromBytes(bytes, GenerationRequest.class)).as("round trip").isEqualTo(request);
  }

  @Test
  void resultRoundTripsWithImageAndMetrics() {
    GenerationRequest request = Fixtures.request("fm-ar", Strategy.AR);
    GenerationResult result = GenerationResult.succeeded(request, UUID.randomUUID().toString(),
        "worker-1", Fixtures.T0, Fixtures.T0.plusSeconds(2), Fixtures.metrics(), 3, Fixtures.png());

    GenerationResult back = Json.fromBytes(Json.toBytes(result), GenerationResult.class);

    assertThat(back).as("result round trip, image bytes included").isEqualTo(result);
    assertThat(back.metrics().acceptedPerPosition()).as("histogram survives")
        .containsExactly(0, 3, 1);
  }

  @Test
  void batchAndHeartbeatRoundTrip() {
    GenerationRequest a = Fixtures.request("fm-ar", Strategy.AR);
    GenerationRequest b = Fixtures.request("fm-ar", Strategy.AR);
    GenerationBatch batch = new GenerationBatch(UUID.randomUUID().toString(), "fm-ar", Strategy.AR,
        List.of(a, b), Fixtures.T0);
    ModelDescriptor model = new ModelDescriptor("fm-ar", 16, 256, 10, 512,
        List.of(Strategy.SPECULATIVE, Strategy.AR), 0);
    WorkerHeartbeat heartbeat = new WorkerHeartbeat("w-1", Fixtures.T0, Duration.ofSeconds(2),
        List.of(model), Map.of("fm-ar", 16), false);

    assertThat(Json.fromBytes(Json.toBytes(batch), GenerationBatch.class)).as("batch").isEqualTo(batch);
    assertThat(Json.fromBytes(Json.toBytes(heartbeat), WorkerHeartbeat.class)).as("heartbeat")
        .isEqualTo(heartbeat);
    assertThat(model.strategies()).as("strategies kept in enum order")
        .containsExactly(Strategy.AR, Strategy.SPECULATIVE);
  }

  @Test
  void unknownFieldsAreIgnoredForForwardCompatibility() {
    GenerationRequest request = Fixtures.request("fm-ar", Strategy.AR);
    String text = Json.toText(request).replaceFirst("\\{", "{\"added_later\":7,");

    assertThat(Json.fromText(text, GenerationRequest.class)).as("newer producer, older consumer")
        .isEqualTo(request);
  }

  @Test
  void invalidPayloadsFailWithContractException() {
    String valid = Json.toText(Fixtures.request("fm-ar", Strategy.AR));

    assertThatThrownBy(() -> Json.fromText("{not json", GenerationRequest.class))
        .as("malformed JSON").isInstanceOf(ContractException.class);
    assertThatThrownBy(() -> Json.fromText(valid.replace("\"ar\"", "\"warp\""), GenerationRequest.class))
        .as("unknown strategy").isInstanceOf(ContractException.class).hasMessageContaining("warp");
    assertThatThrownBy(() -> Json.fromText(valid.replace("\"class_label\":3", "\"class_label\":-1"),
        GenerationRequest.class))
        .as("record validation runs on decode").isInstanceOf(ContractException.class)
        .hasMessageContaining("class_label");
    assertThatThrownBy(() -> Json.fromBytes(null, GenerationRequest.class))
        .as("null payload (tombstone)").isInstanceOf(ContractException.class);
  }
}
