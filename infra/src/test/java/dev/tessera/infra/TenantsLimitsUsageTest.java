package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.contract.GenerationState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Tenants, keys, limits, idempotency, usage and isolation over HTTP, against the shared embedded
 * Kafka, PostgreSQL and Redis. Every tenant is made through the admin API.
 */
@TesseraStackTest
class TenantsLimitsUsageTest {

  private static final String BODY = "{\"model\":\"fm-ar\",\"class_label\":2}";
  private static final String PROBLEMS = "https://tessera.dev/problems/";

  private final ApplicationContext context;
  private final JdbcClient jdbc;
  private final int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private final EndToEndScenario api;

  TenantsLimitsUsageTest(ApplicationContext context, JdbcClient jdbc, @LocalServerPort int port) {
    this.context = context;
    this.jdbc = jdbc;
    this.port = port;
    this.api = new EndToEndScenario(context, port);
  }

  /** A tenant made by the admin API, with one key. */
  record TenantKey(String tenantId, String keyId, String key) {}

  @BeforeEach
  void setUp() {
    api.awaitModel("fm-ar");
  }

  // ---------------------------------------------------------------- admin API and keys

  @Test
  void adminEndpointsRefuseAMissingOrWrongAdminToken() throws Exception {
    String tenant = "{\"name\":\"t-" + UUID.randomUUID() + "\"}";
    for (String token : new String[] {null, "wrong-token", TesseraStackTest.ADMIN_TOKEN + "x"}) {
      HttpResponse<String> created = send("POST", "/admin/tenants", token, tenant, Map.of());
      assertThat(created.statusCode()).as("POST /admin/tenants with token " + token + ": "
          + created.body()).isEqualTo(401);
      assertThat(EndToEndScenario.json(created.body()).path("type").asText())
          .as("problem type").isEqualTo(PROBLEMS + "unauthorized");
      assertThat(send("GET", "/admin/tenants/" + UUID.randomUUID() + "/keys", token, null,
          Map.of()).statusCode()).as("GET keys with token " + token).isEqualTo(401);
      assertThat(send("DELETE", "/admin/keys/" + UUID.randomUUID(), token, null, Map.of())
          .statusCode()).as("DELETE key with token " + token).isEqualTo(401);
    }
    TenantKey someTenant = newTenant("{}");
    assertThat(send("POST", "/admin/tenants", someTenant.key(), tenant, Map.of()).statusCode())
        .as("a tenant's API key is not the admin token").isEqualTo(401);
  }

  @Test
  void aKeyIsShownOnceListedByPrefixAndARevokedKeyGets401() throws Exception {
    TenantKey t = newTenant("{\"weight\":2.5}");
    assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("the new key works").isEqualTo(202);

    HttpResponse<String> listed = send("GET", "/admin/tenants/" + t.tenantId() + "/keys",
        TesseraStackTest.ADMIN_TOKEN, null, Map.of());
    assertThat(listed.statusCode()).as("list keys: " + listed.body()).isEqualTo(200);
    JsonNode key = EndToEndScenario.json(listed.body()).path("data").get(0);
    assertThat(key.path("key_id").asText()).as("listed key id").isEqualTo(t.keyId());
    assertThat(t.key()).as("the key holds its listed prefix")
        .startsWith("tsk_" + key.path("prefix").asText() + "_");
    assertThat(listed.body()).as("the key itself is never listed").doesNotContain(t.key());
    Map<String, Object> row = jdbc.sql("SELECT * FROM api_keys WHERE id = :id")
        .param("id", UUID.fromString(t.keyId())).query().singleRow();
    assertThat(row.values().toString()).as("the key is not stored").doesNotContain(t.key());

    HttpResponse<String> revoked = send("DELETE", "/admin/keys/" + t.keyId(),
        TesseraStackTest.ADMIN_TOKEN, null, Map.of());
    assertThat(revoked.statusCode()).as("revoke: " + revoked.body()).isEqualTo(204);
    assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("POST with a revoked key")
        .isEqualTo(401);
    assertThat(api.get("/v1/usage?start=0", t.key()).statusCode()).as("usage with a revoked key")
        .isEqualTo(401);
    assertThat(send("DELETE", "/admin/keys/" + UUID.randomUUID(), TesseraStackTest.ADMIN_TOKEN,
        null, Map.of()).statusCode()).as("revoking an unknown key").isEqualTo(404);
  }

  @Test
  void aTenantWithTheSameNameIsAConflictAndBadLimitsAre400NamingTheField() throws Exception {
    String name = "dup-" + UUID.randomUUID();
    String body = "{\"name\":\"" + name + "\"}";
    assertThat(send("POST", "/admin/tenants", TesseraStackTest.ADMIN_TOKEN, body, Map.of())
        .statusCode()).as("first create").isEqualTo(201);
    assertThat(send("POST", "/admin/tenants", TesseraStackTest.ADMIN_TOKEN, body, Map.of())
        .statusCode()).as("same name again").isEqualTo(409);
    HttpResponse<String> bad = send("POST", "/admin/tenants", TesseraStackTest.ADMIN_TOKEN,
        "{\"name\":\"x-" + UUID.randomUUID() + "\",\"max_in_flight\":0}", Map.of());
    assertThat(bad.statusCode()).as("max_in_flight 0: " + bad.body()).isEqualTo(400);
    assertThat(EndToEndScenario.json(bad.body()).path("field").asText()).as("field named")
        .isEqualTo("max_in_flight");
  }

  // ---------------------------------------------------------------- limits

  @Test
  void overTheRateA429NamesTheRateLimitWithHeadersAndAfterRetryAfterARequestIsAccepted()
      throws Exception {
    TenantKey t = newTenant("{\"rate_per_s\":0.2}"); // 1 request per 5 s
    assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("first request").isEqualTo(202);

    HttpResponse<String> refused = submit(t.key(), BODY, Map.of());
    assertLimited(refused, "rate-limited", "\"rate\";q=1;w=5", "\"rate\";r=0;t=5");
    assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After").contains("5");

    await("the rate limiter lets a request through again").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> submit(t.key(), BODY, Map.of()).statusCode() == 202);
  }

  @Test
  void overTheInFlightLimitA429UntilAGenerationFinishes() throws Exception {
    TenantKey t = newTenant("{\"max_in_flight\":2}");
    MessageListenerContainer recorder = context.getBean(KafkaListenerEndpointRegistry.class)
        .getListenerContainer("tessera-result-recorder");
    recorder.stop(); // results wait on Kafka: nothing this tenant submits can finish
    try {
      assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("first").isEqualTo(202);
      assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("second").isEqualTo(202);
      assertLimited(submit(t.key(), BODY, Map.of()), "in-flight-limited",
          "\"in-flight\";q=2", "\"in-flight\";r=0;t=1");
    } finally {
      recorder.start();
    }
    await("a slot is free once results are recorded").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> submit(t.key(), BODY, Map.of()).statusCode() == 202);
    long active = jdbc.sql("""
            SELECT count(*) FROM generations WHERE tenant_id = :t
              AND state IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'RETRYING')""")
        .param("t", UUID.fromString(t.tenantId())).query(Long.class).single();
    assertThat(active).as("never more than the limit in flight").isLessThanOrEqualTo(2);
  }

  @Test
  void whenTheMonthlyImageQuotaIsUsedUpRequestsGet429QuotaExceeded() throws Exception {
    TenantKey t = newTenant("{\"monthly_images\":2}");
    assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("image 1 of 2").isEqualTo(202);
    assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("image 2 of 2").isEqualTo(202);
    HttpResponse<String> refused = submit(t.key(), BODY, Map.of());
    assertLimited(refused, "quota-exceeded", "\"monthly-images\";q=2;w=", "\"monthly-images\";r=0;t=");
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).as("Retry-After points at the next month")
        .isBetween(1L, Duration.ofDays(31).toSeconds());
    assertThat(submit(t.key(), BODY, Map.of()).statusCode()).as("still refused").isEqualTo(429);
  }

  // ---------------------------------------------------------------- idempotency

  @Test
  void twentyConcurrentDuplicatePostsCreateOneGenerationAndADifferentBodyIs422() throws Exception {
    TenantKey t = newTenant("{}");
    String key = "order-" + UUID.randomUUID();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        answers.add(pool.submit((Callable<HttpResponse<String>>) () -> {
          go.await();
          return submit(t.key(), BODY, Map.of("Idempotency-Key", key));
        }));
      }
      go.countDown();
      Set<String> ids = new HashSet<>();
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> r = answer.get();
        assertThat(r.statusCode()).as("every duplicate is accepted: " + r.body()).isEqualTo(202);
        ids.add(EndToEndScenario.json(r.body()).path("id").asText());
      }
      assertThat(ids).as("all 20 answers name the same generation").hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    long rows = jdbc.sql("SELECT count(*) FROM generations WHERE tenant_id = :t")
        .param("t", UUID.fromString(t.tenantId())).query(Long.class).single();
    assertThat(rows).as("one row for 20 duplicate POSTs").isEqualTo(1);

    HttpResponse<String> replay = submit(t.key(), BODY, Map.of("Idempotency-Key", key));
    assertThat(replay.statusCode()).as("a later replay").isEqualTo(202);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).as("marked as a replay")
        .contains("true");

    HttpResponse<String> other = submit(t.key(), "{\"model\":\"fm-ar\",\"class_label\":3}",
        Map.of("Idempotency-Key", key));
    assertThat(other.statusCode()).as("same key, other body: " + other.body()).isEqualTo(422);
    assertThat(EndToEndScenario.json(other.body()).path("type").asText()).as("problem type")
        .isEqualTo(PROBLEMS + "idempotency-key-reused");

    String id = ids(replay);
    awaitTerminal(t.key(), id);
    assertThat(usageRows(t.tenantId())).as("charged once").isEqualTo(1);
  }

  // ---------------------------------------------------------------- usage

  @Test
  void usageTotalsEqualTheSumOverFinishedRequestsAndARedeliveredResultCountsOnce()
      throws Exception {
    TenantKey t = newTenant("{}");
    long start = Instant.now().getEpochSecond() - 60;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(ids(submit(t.key(), "{\"model\":\"fm-ar\",\"class_label\":" + i + "}", Map.of())));
    }
    for (String id : ids) {
      assertThat(awaitTerminal(t.key(), id)).as("generation " + id).isEqualTo("SUCCEEDED");
    }
    // a worker's result delivered again (as after a crash before its offset commit)
    var original = api.findResult(ids.get(0), GenerationState.SUCCEEDED);
    api.awaitRecorderPast(api.publish(ids.get(0), original.value()));
    api.awaitRecorderPast(api.publish(ids.get(0), original.value()));

    Map<String, Object> truth = jdbc.sql("""
            SELECT count(*) AS n, sum(target_forwards) AS tf, sum(drafter_forwards) AS df,
                   sum(decode_ms) AS ms
            FROM generations WHERE tenant_id = :t AND state = 'SUCCEEDED'""")
        .param("t", UUID.fromString(t.tenantId())).query().singleRow();
    assertThat(usageRows(t.tenantId())).as("one usage event per finished request").isEqualTo(3);

    HttpResponse<String> usage = api.get("/v1/usage?start=" + start
        + "&bucket=1h&group_by=model,strategy,api_key", t.key());
    assertThat(usage.statusCode()).as("usage: " + usage.body()).isEqualTo(200);
    JsonNode page = EndToEndScenario.json(usage.body());
    assertThat(page.path("object").asText()).as("object").isEqualTo("page");
    assertThat(page.path("data")).as("one hour bucket").hasSize(1);
    JsonNode bucket = page.path("data").get(0);
    assertThat(bucket.path("start_time").asLong()).as("bucket starts at start").isEqualTo(start);
    assertThat(bucket.path("end_time").asLong()).as("bucket is an hour")
        .isEqualTo(start + 3600);
    assertThat(bucket.path("results")).as("one group: fm-ar, ar, the one key").hasSize(1);
    JsonNode r = bucket.path("results").get(0);
    assertThat(r.path("model").asText()).as("group model").isEqualTo("fm-ar");
    assertThat(r.path("strategy").asText()).as("group strategy").isEqualTo("ar");
    assertThat(r.path("api_key_id").asText()).as("group key").isEqualTo(t.keyId());
    assertThat(r.path("images").asLong()).as("billable images").isEqualTo(3);
    assertThat(r.path("num_model_requests").asLong()).as("requests").isEqualTo(3);
    assertThat(r.path("billable_requests").asLong()).as("billable requests").isEqualTo(3);
    assertThat(r.path("tokens").asLong()).as("tokens: 256 per image").isEqualTo(3 * 256);
    assertThat(r.path("target_forwards").asLong()).as("target forwards = sum of rows")
        .isEqualTo(((Number) truth.get("tf")).longValue());
    assertThat(r.path("drafter_forwards").asLong()).as("drafter forwards = sum of rows")
        .isEqualTo(((Number) truth.get("df")).longValue());
    assertThat(r.path("decode_ms").asLong()).as("decode ms = sum of rows")
        .isEqualTo(((Number) truth.get("ms")).longValue());

    HttpResponse<String> asAdmin = send("GET", "/v1/usage?start=" + start + "&bucket=1d&tenant_id="
        + t.tenantId(), TesseraStackTest.ADMIN_TOKEN, null, Map.of());
    assertThat(asAdmin.statusCode()).as("admin usage: " + asAdmin.body()).isEqualTo(200);
    JsonNode adminResult = EndToEndScenario.json(asAdmin.body()).path("data").get(0)
        .path("results").get(0);
    assertThat(adminResult.path("images").asLong()).as("admin sees the same images").isEqualTo(3);
    assertThat(adminResult.has("model")).as("not grouped: no model key").isFalse();
  }

  @Test
  void badUsageParametersAre400NamingTheParameter() throws Exception {
    TenantKey t = newTenant("{}");
    Map<String, String> cases = Map.of(
        "/v1/usage", "start",
        "/v1/usage?start=yesterday", "start",
        "/v1/usage?start=100&end=50", "end",
        "/v1/usage?start=0&bucket=1w", "bucket",
        "/v1/usage?start=0&bucket=1h&end=36000000", "end",
        "/v1/usage?start=" + (Instant.now().getEpochSecond() - 3600) + "&group_by=model,colour",
        "group_by");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = api.get(c.getKey(), t.key());
      assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
      assertThat(EndToEndScenario.json(r.body()).path("field").asText()).as("field of " + c.getKey())
          .isEqualTo(c.getValue());
    }
  }

  // ---------------------------------------------------------------- isolation

  @Test
  void anotherTenantsGenerationImageAndUsageAreNotFound() throws Exception {
    TenantKey owner = newTenant("{}");
    TenantKey other = newTenant("{}");
    String id = ids(submit(owner.key(), BODY, Map.of()));
    assertThat(awaitTerminal(owner.key(), id)).as("owner's generation").isEqualTo("SUCCEEDED");

    assertThat(api.get("/v1/generations/" + id, other.key()).statusCode())
        .as("another tenant's generation").isEqualTo(404);
    assertThat(api.get("/v1/generations/" + id + "/image.png", other.key()).statusCode())
        .as("another tenant's image").isEqualTo(404);
    assertThat(api.get("/v1/usage?start=0&bucket=1d&end=86400&tenant_id=" + owner.tenantId(),
        other.key()).statusCode()).as("another tenant's usage").isEqualTo(404);
    assertThat(api.get("/v1/generations/" + id + "/image.png", owner.key()).statusCode())
        .as("the owner still reads the image").isEqualTo(200);
  }

  // ---------------------------------------------------------------- helpers

  private TenantKey newTenant(String limitsJson) throws Exception {
    JsonNode limits = EndToEndScenario.json(limitsJson);
    ((com.fasterxml.jackson.databind.node.ObjectNode) limits)
        .put("name", "tenant-" + UUID.randomUUID());
    HttpResponse<String> created = send("POST", "/admin/tenants", TesseraStackTest.ADMIN_TOKEN,
        limits.toString(), Map.of());
    assertThat(created.statusCode()).as("create tenant: " + created.body()).isEqualTo(201);
    String tenantId = EndToEndScenario.json(created.body()).path("id").asText();
    HttpResponse<String> issued = send("POST", "/admin/tenants/" + tenantId + "/keys",
        TesseraStackTest.ADMIN_TOKEN, "{\"name\":\"test\"}", Map.of());
    assertThat(issued.statusCode()).as("issue key: " + issued.body()).isEqualTo(201);
    JsonNode key = EndToEndScenario.json(issued.body());
    return new TenantKey(tenantId, key.path("key_id").asText(), key.path("key").asText());
  }

  private HttpResponse<String> submit(String key, String body, Map<String, String> headers)
      throws Exception {
    return send("POST", "/v1/generations", key, body, headers);
  }

  private HttpResponse<String> send(String method, String path, String bearer, String body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertLimited(HttpResponse<String> r, String type, String policy,
      String state) throws Exception {
    assertThat(r.statusCode()).as("over the limit: " + r.body()).isEqualTo(429);
    assertThat(EndToEndScenario.json(r.body()).path("type").asText()).as("problem type names the limit")
        .isEqualTo(PROBLEMS + type);
    assertThat(r.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
    assertThat(r.headers().firstValue("RateLimit-Policy")).as("RateLimit-Policy")
        .hasValueSatisfying(v -> assertThat(v).startsWith(policy));
    assertThat(r.headers().firstValue("RateLimit")).as("RateLimit")
        .hasValueSatisfying(v -> assertThat(v).startsWith(state));
  }

  private static String ids(HttpResponse<String> accepted) throws Exception {
    assertThat(accepted.statusCode()).as("accepted: " + accepted.body()).isEqualTo(202);
    return EndToEndScenario.json(accepted.body()).path("id").asText();
  }

  private String awaitTerminal(String key, String id) {
    String[] status = {null};
    await("generation " + id + " finishes").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          status[0] = EndToEndScenario.json(api.get("/v1/generations/" + id, key).body())
              .path("status").asText();
          return Set.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED").contains(status[0]);
        });
    return status[0];
  }

  private long usageRows(String tenantId) {
    return jdbc.sql("SELECT count(*) FROM usage_events WHERE tenant_id = :t")
        .param("t", UUID.fromString(tenantId)).query(Long.class).single();
  }
}
