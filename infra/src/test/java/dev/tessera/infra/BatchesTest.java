package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.gateway.auth.TenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code POST /v1/batches} over HTTP against the whole system: a batch becomes one generation per
 * item, in order; an invalid item refuses the whole batch naming the item's field; limits count
 * every item and refuse the whole batch with nothing stored or taken; an Idempotency-Key answers
 * the same ids again.
 */
@TesseraStackTest
class BatchesTest {

  private static final String PROBLEMS = "https://tessera.dev/problems/";
  private static final String ITEM = "{\"model\":\"fm-ar\",\"class_label\":%d}";

  private final ApplicationContext context;
  private final JdbcClient jdbc;
  private final int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private final EndToEndScenario api;

  BatchesTest(ApplicationContext context, JdbcClient jdbc, @LocalServerPort int port) {
    this.context = context;
    this.jdbc = jdbc;
    this.port = port;
    this.api = new EndToEndScenario(context, port);
  }

  private record Tenant(UUID id, String key) {}

  @BeforeEach
  void setUp() {
    api.awaitModel("fm-ar");
  }

  @Test
  void threeRequestsAreAcceptedInOrderEachWithItsOwnIdAndAllSucceed() throws Exception {
    Tenant t = tenant(null, null, null);
    HttpResponse<String> accepted = post(t.key(), batch(items(7, 1, 4)), Map.of());
    assertThat(accepted.statusCode()).as("accepted: " + accepted.body()).isEqualTo(202);
    JsonNode data = EndToEndScenario.json(accepted.body()).path("data");
    assertThat(data).as("one entry per request").hasSize(3);
    List<String> ids = new ArrayList<>();
    for (JsonNode entry : data) {
      String id = entry.path("id").asText();
      ids.add(id);
      assertThat(entry.path("status").asText()).as("status of " + id).isEqualTo("QUEUED");
      assertThat(entry.path("status_url").asText()).as("status_url of " + id)
          .isEqualTo("http://localhost:" + port + "/v1/generations/" + id);
    }
    assertThat(Set.copyOf(ids)).as("every request has its own id").hasSize(3);

    List<Integer> labels = List.of(7, 1, 4);
    for (int i = 0; i < 3; i++) {
      String id = ids.get(i);
      await("generation " + i + " succeeds").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> view(id, t.key()).path("status").asText().equals("SUCCEEDED"));
      assertThat(view(id, t.key()).path("class_label").asInt()).as("request " + i + " in order")
          .isEqualTo(labels.get(i));
    }
    assertThat(rows(t)).as("one row per request").isEqualTo(3);
    assertThat(billed(t)).as("each request billed once").isEqualTo(3);
  }

  @Test
  void anInvalidItemRefusesTheWholeBatchNamingItsFieldAndNothingIsStored() throws Exception {
    Tenant t = tenant(null, null, null);
    List<String> items = items(0, 1, 2, 3);
    List<String> badLabel = new ArrayList<>(items);
    badLabel.set(3, String.format(ITEM, 12));
    List<String> unknownField = new ArrayList<>(items);
    unknownField.set(1, "{\"model\":\"fm-ar\",\"class_label\":1,\"colour\":\"red\"}");
    List<String> wrongType = new ArrayList<>(items);
    wrongType.set(0, "{\"model\":\"fm-ar\",\"class_label\":\"one\"}");
    List<String> missing = new ArrayList<>(items);
    missing.set(2, "{\"class_label\":1}");
    List<String> notAnObject = new ArrayList<>(items);
    notAnObject.set(2, "null");

    Map<String, String[]> cases = Map.of(
        batch(badLabel), new String[] {"requests[3].class_label", "invalid-field"},
        batch(unknownField), new String[] {"requests[1].colour", "unknown-field"},
        batch(wrongType), new String[] {"requests[0].class_label", "wrong-type"},
        batch(missing), new String[] {"requests[2].model", "missing-field"},
        batch(notAnObject), new String[] {"requests[2]", "wrong-type"},
        "{\"requests\":[]}", new String[] {"requests", "invalid-field"},
        batch(Collections.nCopies(101, String.format(ITEM, 1))),
        new String[] {"requests", "invalid-field"},
        "{}", new String[] {"requests", "missing-field"},
        "{\"requests\":{}}", new String[] {"requests", "wrong-type"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      String what = c.getValue()[0] + " (" + c.getValue()[1] + ")";
      HttpResponse<String> refused = post(t.key(), c.getKey(), Map.of());
      assertThat(refused.statusCode()).as(what + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type")).as(what + ": content type")
          .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
      JsonNode problem = EndToEndScenario.json(refused.body());
      assertThat(problem.path("field").asText()).as(what + ": field").isEqualTo(c.getValue()[0]);
      assertThat(problem.path("type").asText()).as(what + ": type")
          .isEqualTo(PROBLEMS + c.getValue()[1]);
    }
    assertThat(rows(t)).as("no request of a refused batch is stored").isZero();
    assertThat(post(null, batch(items), Map.of()).statusCode()).as("no key").isEqualTo(401);
  }

  @Test
  void overTheInFlightLimitTheWholeBatchIs429AndNothingIsStoredOrTaken() throws Exception {
    // the rate (3 per second) and the quota (3 this month) let 3 through: the in-flight limit of
    // 2 refuses the batch after both were taken
    Tenant t = tenant(3.0, 2, 3L);
    HttpResponse<String> refused = post(t.key(), batch(items(1, 2, 3)), Map.of());
    assertThat(refused.statusCode()).as("over the in-flight limit: " + refused.body())
        .isEqualTo(429);
    assertThat(EndToEndScenario.json(refused.body()).path("type").asText()).as("problem type")
        .isEqualTo(PROBLEMS + "in-flight-limited");
    assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
    assertThat(refused.headers().firstValue("RateLimit-Policy")).as("RateLimit-Policy")
        .contains("\"in-flight\";q=2");
    assertThat(refused.headers().firstValue("RateLimit")).as("RateLimit")
        .contains("\"in-flight\";r=0;t=1");
    assertThat(rows(t)).as("nothing stored").isZero();

    // what the refused batch took (3 rate permits, 3 images) was given back: without the permits
    // this batch would be over the rate, without the images over the quota
    HttpResponse<String> two = post(t.key(), batch(items(1, 2)), Map.of());
    assertThat(two.statusCode()).as("a batch that fits, at once: " + two.body()).isEqualTo(202);
    assertThat(rows(t)).as("the two").isEqualTo(2);

    Tenant quota = tenant(null, null, 2L);
    HttpResponse<String> overQuota = post(quota.key(), batch(items(1, 2, 3)), Map.of());
    assertThat(overQuota.statusCode()).as("over the monthly quota: " + overQuota.body())
        .isEqualTo(429);
    assertThat(EndToEndScenario.json(overQuota.body()).path("type").asText())
        .as("problem type").isEqualTo(PROBLEMS + "quota-exceeded");
    assertThat(rows(quota)).as("nothing stored").isZero();

    Tenant rate = tenant(2.0, null, null);
    HttpResponse<String> overRate = post(rate.key(), batch(items(1, 2, 3)), Map.of());
    assertThat(overRate.statusCode()).as("more than the rate allows at once: " + overRate.body())
        .isEqualTo(429);
    assertThat(EndToEndScenario.json(overRate.body()).path("type").asText())
        .as("problem type").isEqualTo(PROBLEMS + "rate-limited");
    assertThat(rows(rate)).as("nothing stored").isZero();
  }

  @Test
  void theSameIdempotencyKeyAndBodyAnswerTheSameIdsAndADifferentBodyIs422() throws Exception {
    Tenant t = tenant(null, null, null);
    String key = "batch-" + UUID.randomUUID();
    String body = batch(items(5, 6));
    HttpResponse<String> first = post(t.key(), body, Map.of("Idempotency-Key", key));
    assertThat(first.statusCode()).as("first: " + first.body()).isEqualTo(202);
    assertThat(first.headers().firstValue("Idempotent-Replayed")).as("not a replay").isEmpty();
    List<String> ids = ids(first);

    HttpResponse<String> again = post(t.key(), body, Map.of("Idempotency-Key", key));
    assertThat(again.statusCode()).as("replay: " + again.body()).isEqualTo(202);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).as("marked as a replay")
        .contains("true");
    assertThat(ids(again)).as("the same ids in the same order").isEqualTo(ids);
    assertThat(rows(t)).as("nothing new stored").isEqualTo(2);

    HttpResponse<String> other = post(t.key(), batch(items(5, 7)), Map.of("Idempotency-Key", key));
    assertThat(other.statusCode()).as("same key, other body: " + other.body()).isEqualTo(422);
    assertThat(EndToEndScenario.json(other.body()).path("type").asText()).as("problem type")
        .isEqualTo(PROBLEMS + "idempotency-key-reused");
    HttpResponse<String> single = send("POST", "/v1/generations", t.key(), String.format(ITEM, 5),
        Map.of("Idempotency-Key", key));
    assertThat(single.statusCode()).as("the batch's key on a single request: " + single.body())
        .isEqualTo(422);
    assertThat(rows(t)).as("still two").isEqualTo(2);

    for (String id : ids) {
      await("generation " + id + " finishes").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> view(id, t.key()).path("status").asText().equals("SUCCEEDED"));
    }
    assertThat(billed(t)).as("charged once per request").isEqualTo(2);
  }

  // ---------------------------------------------------------------- helpers

  private Tenant tenant(Double ratePerS, Integer maxInFlight, Long monthlyImages) {
    TenantService tenants = context.getBean(TenantService.class);
    UUID id = tenants.createTenant(new TenantService.NewTenant("batch-" + UUID.randomUUID(), 1.0,
        ratePerS, maxInFlight, monthlyImages)).orElseThrow().id();
    return new Tenant(id, tenants.issueKey(id, "test").key());
  }

  private static List<String> items(int... labels) {
    List<String> items = new ArrayList<>();
    for (int label : labels) {
      items.add(String.format(ITEM, label));
    }
    return items;
  }

  private static String batch(List<String> items) {
    return "{\"requests\":[" + String.join(",", items) + "]}";
  }

  private static List<String> ids(HttpResponse<String> accepted) throws Exception {
    List<String> ids = new ArrayList<>();
    EndToEndScenario.json(accepted.body()).path("data")
        .forEach(entry -> ids.add(entry.path("id").asText()));
    return ids;
  }

  private JsonNode view(String id, String key) throws Exception {
    return EndToEndScenario.json(api.get("/v1/generations/" + id, key).body());
  }

  private long rows(Tenant t) {
    return jdbc.sql("SELECT count(*) FROM generations WHERE tenant_id = :t").param("t", t.id())
        .query(Long.class).single();
  }

  private long billed(Tenant t) {
    return jdbc.sql("SELECT count(*) FROM usage_events WHERE tenant_id = :t AND billable")
        .param("t", t.id()).query(Long.class).single();
  }

  private HttpResponse<String> post(String key, String body, Map<String, String> headers)
      throws Exception {
    return send("POST", "/v1/batches", key, body, headers);
  }

  private HttpResponse<String> send(String method, String path, String bearer, String body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
