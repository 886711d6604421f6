package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.contract.GenerationRequest;
import dev.tessera.contract.Priority;
import dev.tessera.contract.SamplingParams;
import dev.tessera.contract.Strategy;
import dev.tessera.contract.StrategyParams;
import dev.tessera.gateway.auth.TenantService;
import dev.tessera.gateway.generation.GenerationRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Priorities, deadlines and cancellation through the whole system: the POST fields, a deadline that
 * passes in the scheduler's queue (EXPIRED, never dispatched, not billed), DELETE of a queued request
 * (CANCELLED at once; the scheduler never dispatches it even when the request reaches its queue), and
 * DELETE's 404 and 409.
 */
@TesseraStackTest
class SchedulingEndToEndTest {

  private final ApplicationContext context;
  private final int port;


  SchedulingEndToEndTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
  }

  @Test
  void aHighPriorityRequestWithADeadlineSucceedsAndBadValuesAreRejectedNamingTheirField()
      throws Exception {
    EndToEndScenario api = new EndToEndScenario(context, port);
    api.awaitModel("fm-ar");
    String key = api.newTenantKey("priority");
    String deadline = Instant.now().plusSeconds(120).toString();

    HttpResponse<String> accepted = api.post("/v1/generations", key, "application/json",
        "{\"model\":\"fm-ar\",\"class_label\":1,\"priority\":\"high\",\"deadline\":\"" + deadline
            + "\"}");
    HttpResponse<String> badPriority = api.post("/v1/generations", key, "application/json",
        "{\"model\":\"fm-ar\",\"class_label\":1,\"priority\":\"urgent\"}");
    HttpResponse<String> pastDeadline = api.post("/v1/generations", key, "application/json",
        "{\"model\":\"fm-ar\",\"class_label\":1,\"deadline\":\"2020-01-01T00:00:00Z\"}");

    assertThat(accepted.statusCode()).as("accepted: " + accepted.body()).isEqualTo(202);
    String id = EndToEndScenario.json(accepted.body()).path("id").asText();
    await("high-priority request succeeds").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status(api, id, key).equals("SUCCEEDED"));
    JsonNode view = EndToEndScenario.json(api.get("/v1/generations/" + id, key).body());
    assertThat(view.path("priority").asText()).as("priority kept").isEqualTo("high");
    assertThat(badPriority.statusCode()).as("bad priority").isEqualTo(400);
    assertThat(EndToEndScenario.json(badPriority.body()).path("field").asText())
        .as("field named").isEqualTo("priority");
    assertThat(pastDeadline.statusCode()).as("past deadline").isEqualTo(400);
    assertThat(EndToEndScenario.json(pastDeadline.body()).path("field").asText())
        .as("field named").isEqualTo("deadline");
  }

  @Test
  void aRequestWhoseDeadlinePassesInTheQueueEndsExpiredNeverDispatchedNotBilled()
      throws Exception {
    EndToEndScenario api = new EndToEndScenario(context, port);
    api.awaitModel("fm-ar");
    Tenant t = tenant("deadline");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    GenerationRequest request = request(t, now);

    context.getBean(GenerationRepository.class).insertQueued(request);
    api.publishRequest(request);

    await("expired").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(api, request.id(), t.key()).equals("EXPIRED"));
    Map<String, Object> row = row(request.id());
    assertThat(row.get("dispatched_at")).as("never dispatched").isNull();
    assertThat(row.get("expired_at")).as("expired_at stored").isNotNull();
    assertThat(row.get("error_code")).as("reason").isEqualTo("deadline_passed");
    assertThat(billable(request.id())).as("one usage event, not billable").isEqualTo("false");
  }

  @Test
  void aCancelledQueuedRequestIsNeverDispatchedAndASecondDeleteIsAConflict() throws Exception {
    EndToEndScenario api = new EndToEndScenario(context, port);
    api.awaitModel("fm-ar");
    Tenant t = tenant("cancel");
    GenerationRequest request = request(t, null);
    context.getBean(GenerationRepository.class).insertQueued(request);

    HttpResponse<String> other = api.cancel(request.id(), api.newTenantKey("other"));
    HttpResponse<String> cancelled = api.cancel(request.id(), t.key());
    // the request now reaches the scheduler's queue anyway: it must not be dispatched
    api.publishRequest(request);
    // a request published after it, on the same partition (key: the model): once the scheduler
    // has dispatched this one, it has seen the cancelled one too
    GenerationRequest marker = request(t, null);
    context.getBean(GenerationRepository.class).insertQueued(marker);
    api.publishRequest(marker);
    await("the later request is dispatched").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> row(marker.id()).get("dispatched_at") != null);
    HttpResponse<String> again = api.cancel(request.id(), t.key());
    HttpResponse<String> unknown = api.cancel(UUID.randomUUID().toString(), t.key());

    assertThat(other.statusCode()).as("another tenant's generation is not found").isEqualTo(404);
    assertThat(cancelled.statusCode()).as("cancelled: " + cancelled.body()).isEqualTo(200);
    assertThat(EndToEndScenario.json(cancelled.body()).path("status").asText())
        .as("answered CANCELLED").isEqualTo("CANCELLED");
    Map<String, Object> row = row(request.id());
    assertThat(row.get("state")).as("still CANCELLED").isEqualTo("CANCELLED");
    assertThat(row.get("dispatched_at")).as("never dispatched").isNull();
    assertThat(billable(request.id())).as("one usage event, not billable").isEqualTo("false");
    assertThat(again.statusCode()).as("already ended").isEqualTo(409);
    assertThat(unknown.statusCode()).as("unknown id").isEqualTo(404);
  }

  private record Tenant(UUID id, UUID keyId, String key) {}

  private Tenant tenant(String name) {
    TenantService tenants = context.getBean(TenantService.class);
    UUID tenant = tenants.ensureTenant(name + "-" + UUID.randomUUID());
    TenantService.IssuedKey key = tenants.issueKey(tenant, "test");
    return new Tenant(tenant, key.keyId(), key.key());
  }

  private static GenerationRequest request(Tenant t, Instant deadline) {
    Instant now = deadline != null ? deadline : Instant.now().truncatedTo(ChronoUnit.MICROS);
    return new GenerationRequest(UUID.randomUUID().toString(), t.id().toString(),
        t.keyId().toString(), "fm-ar", 2, Strategy.AR, 11L, SamplingParams.DEFAULT,
        StrategyParams.DEFAULT, Priority.NORMAL, deadline, 0, now);
  }

  private static String status(EndToEndScenario api, String id, String key) throws Exception {
    return EndToEndScenario.json(api.get("/v1/generations/" + id, key).body()).path("status")
        .asText();
  }

  private Map<String, Object> row(String id) {
    return context.getBean(JdbcClient.class)
        .sql("SELECT state, dispatched_at, expired_at, error_code FROM generations WHERE id = :id")
        .param("id", UUID.fromString(id)).query().singleRow();
  }

  private String billable(String id) {
    return context.getBean(JdbcClient.class)
        .sql("SELECT string_agg(billable::text, ',') FROM usage_events WHERE request_id = :id")
        .param("id", UUID.fromString(id)).query(String.class).single();
  }
}
