package dev.tessera.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.gateway.auth.TenantService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hostile input on every endpoint, public and admin: each refused request gets a 4xx
 * problem-details body (never a 5xx, never an HTML page), quotes at most a cut of what it was sent,
 * and changes nothing: the {@link Footprint} in PostgreSQL and Redis is the same before and after.
 * A corpus ({@link HostileCorpus}) of requests that must all be refused, then seeded random bodies
 * ({@link HostileBodies}) that may be accepted or refused, and the {@code Host} header, which must
 * neither break an answer after the commit nor leak into {@code status_url}.
 */
@TesseraStackTest
class HostileInputTest {

  private static final String PROBLEMS = "https://tessera.dev/problems/";
  private static final int RANDOM_REQUESTS = 300;

  private final ApplicationContext context;
  private final int port;
  private final EndToEndScenario api;
  private final RawHttp raw;
  private final JdbcClient jdbc;
  private final RedissonClient redis;
  private final TenantService tenants;

  HostileInputTest(ApplicationContext context, @LocalServerPort int port) {
    this.context = context;
    this.port = port;
    this.api = new EndToEndScenario(context, port);
    this.raw = new RawHttp(port);
    this.jdbc = context.getBean(JdbcClient.class);
    this.redis = context.getBean(RedissonClient.class);
    this.tenants = context.getBean(TenantService.class);
  }

  @BeforeEach
  void modelIsServed() {
    api.awaitModel("fm-ar");
  }

  @Test
  void everyRequestOfTheCorpusIsRefusedWithAProblemAndChangesNothing() throws Exception {
    UUID tenant = limitedTenant("hostile-corpus");
    String key = tenants.issueKey(tenant, "hostile").key();
    List<HostileRequest> corpus = HostileCorpus.all(key, TesseraStackTest.ADMIN_TOKEN, tenant);
    List<String> failures = new ArrayList<>();
    for (HostileRequest request : corpus) {
      Footprint before = Footprint.of(jdbc, redis, tenant);
      RawHttp.Response response = raw.send(request.head(), request.body());
      String problem = problemFailure(request, response);
      if (problem != null) {
        failures.add(problem);
      }
      Footprint after = Footprint.of(jdbc, redis, tenant);
      if (!after.equals(before)) {
        failures.add(request + ": changed " + before + " into " + after);
      }
    }
    assertThat(failures).as(corpus.size() + " hostile requests").isEmpty();
  }

  @Test
  void randomBodiesNeverGet5xxAndTheRefusedOnesStoreNothing() throws Exception {
    UUID tenant = limitedTenant("hostile-random");
    String key = tenants.issueKey(tenant, "hostile").key();
    HostileBodies bodies = new HostileBodies(20261202L);
    List<String> failures = new ArrayList<>();
    int accepted = 0;
    for (int i = 0; i < RANDOM_REQUESTS; i++) {
      HostileRequest request = bodies.next(key, TesseraStackTest.ADMIN_TOKEN);
      Footprint before = Footprint.of(jdbc, redis, tenant);
      RawHttp.Response response = raw.send(request.head(), request.body());
      if (response.status() < 400 && response.status() >= 200) {
        accepted++;
        continue;
      }
      String problem = problemFailure(request, response);
      if (problem != null) {
        failures.add(problem + " body " + new String(request.body(), StandardCharsets.UTF_8));
      }
      // the tenant's accepted requests finish meanwhile: compare what only a submission adds
      if (!stored(Footprint.of(jdbc, redis, tenant)).equals(stored(before))) {
        failures.add(request + ": a refused request stored something; body "
            + new String(request.body(), StandardCharsets.UTF_8));
      }
    }
    assertThat(failures).as(RANDOM_REQUESTS + " random requests, " + accepted + " accepted")
        .isEmpty();
    assertThat(accepted).as("the generator also makes valid requests").isPositive();
  }

  @Test
  void anEmptyOrForeignHostGetsA202WhoseLinksUseTheGatewaysOwnBase() throws Exception {
    UUID tenant = tenants.ensureTenant("hostile-host-" + UUID.randomUUID());
    String key = tenants.issueKey(tenant, "hostile").key();
    String base = "http://localhost:" + port;
    for (String host : new String[] {"", "evil.example:666", "a b"}) {
      long rowsBefore = generationsOf(tenant);
      RawHttp.Response response = raw.send("POST /v1/generations HTTP/1.1\r\nHost: " + host
          + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json",
          "{\"model\":\"fm-ar\",\"class_label\":2}".getBytes(StandardCharsets.UTF_8));
      if (response.status() == 400) { // Tomcat refuses a malformed Host before anything runs
        assertThat(response.header("content-type")).as("Host '" + host + "' refused as a problem")
            .startsWith("application/problem+json");
        assertThat(generationsOf(tenant)).as("nothing stored for Host '" + host + "'")
            .isEqualTo(rowsBefore);
        continue;
      }
      assertThat(response.status()).as("Host '" + host + "': " + response.body()).isEqualTo(202);
      String id = EndToEndScenario.json(response.body()).path("id").asText();
      assertThat(EndToEndScenario.json(response.body()).path("status_url").asText())
          .as("status_url with Host '" + host + "'").isEqualTo(base + "/v1/generations/" + id);
      assertThat(response.header("location")).as("Location").isEqualTo(
          base + "/v1/generations/" + id);
      assertThat(generationsOf(tenant)).as("stored once").isEqualTo(rowsBefore + 1);
    }
    RawHttp.Response batch = raw.send("POST /v1/batches HTTP/1.1\r\nHost: \r\nAuthorization: "
        + "Bearer " + key + "\r\nContent-Type: application/json",
        "{\"requests\":[{\"model\":\"fm-ar\",\"class_label\":3}]}".getBytes(StandardCharsets.UTF_8));
    assertThat(batch.status()).as("batch with an empty Host: " + batch.body()).isEqualTo(202);
    assertThat(EndToEndScenario.json(batch.body()).path("data").path(0).path("status_url")
        .asText()).as("batch status_url").startsWith(base + "/v1/generations/");
  }

  /** A tenant with every limit set, so that an admission would leave traces in Redis. */
  private UUID limitedTenant(String name) {
    return tenants.createTenant(new TenantService.NewTenant(name + "-" + UUID.randomUUID(), 1.0,
        1000.0, 4, 1_000_000L)).orElseThrow().id();
  }

  private long generationsOf(UUID tenant) {
    return jdbc.sql("SELECT count(*) FROM generations WHERE tenant_id = :t").param("t", tenant)
        .query(Long.class).single();
  }

  /** What only a stored submission or an admin's write changes. */
  private static List<Long> stored(Footprint f) {
    return List.of(f.tenants(), f.apiKeys(), f.generations(), f.deadLetters(),
        f.idempotencyKeys(), f.webhooks());
  }

  /** Why an answer is not a proper refusal, or null if it is one. */
  private static String problemFailure(HostileRequest request, RawHttp.Response response) {
    String body = response.body();
    if (response.status() < 400 || response.status() >= 500) {
      return request + ": status " + response.status() + " " + cut(body);
    }
    String type = response.header("content-type");
    if (type == null || !type.startsWith("application/problem+json")) {
      return request + ": status " + response.status() + " with content type " + type + " "
          + cut(body);
    }
    JsonNode problem;
    try {
      problem = EndToEndScenario.json(body);
    } catch (Exception e) {
      return request + ": not JSON: " + cut(body);
    }
    if (!problem.path("type").asText().startsWith(PROBLEMS)
        || problem.path("status").asInt() != response.status()
        || problem.path("title").asText().isBlank()) {
      return request + ": incomplete problem " + cut(body);
    }
    if (body.length() > 1500 || body.indexOf('\u0000') >= 0) {
      return request + ": the problem quotes too much (" + body.length() + " chars)";
    }
    if (request.expectedType() != null
        && !problem.path("type").asText().equals(PROBLEMS + request.expectedType())) {
      return request + ": type " + problem.path("type").asText() + ", expected "
          + request.expectedType() + " " + cut(body);
    }
    return null;
  }

  private static String cut(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
